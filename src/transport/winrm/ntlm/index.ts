// NTLMv2 with session security for WinRM message encryption: pure TypeScript, no network, no OpenSSL md4/rc4.
export { NtlmClient, splitUser, channelBindingsHash } from './client.ts';
export type { NtlmCredentials, NtlmClientDeps, AuthenticateOptions } from './client.ts';
export { createSession, NtlmIntegrityError, signKey, sealKey } from './session.ts';
export type { NtlmSession } from './session.ts';
export { parseChallenge, decodeNegotiate, decodeAuthenticate, encodeChallenge, NtlmMessageError } from './messages.ts';
export type { Challenge, Authenticate, AvPair } from './messages.ts';
export { unwrapSpnego, tokenFromAuthHeader, SpnegoError } from './spnego.ts';
export { NegotiateFlag, AvId } from './flags.ts';
export { md4 } from './md4.ts';
export { Rc4 } from './rc4.ts';
