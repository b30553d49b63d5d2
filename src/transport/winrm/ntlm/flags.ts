// NTLM negotiate flags (MS-NLMP 2.2.2.5) and AV pair ids (2.2.2.1), the ones gofleet reads or sets.

export const NegotiateFlag = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  LM_KEY: 0x00000080,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  TARGET_TYPE_SERVER: 0x00020000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  NEGOTIATE_128: 0x20000000,
  KEY_EXCH: 0x40000000,
  NEGOTIATE_56: 0x80000000,
} as const;

/** What the client asks for in its NEGOTIATE message: NTLMv2 with extended session security, sealing and key exchange. */
export const CLIENT_FLAGS =
  (NegotiateFlag.UNICODE | NegotiateFlag.REQUEST_TARGET | NegotiateFlag.SIGN | NegotiateFlag.SEAL | NegotiateFlag.NTLM |
    NegotiateFlag.ALWAYS_SIGN | NegotiateFlag.EXTENDED_SESSIONSECURITY | NegotiateFlag.TARGET_INFO | NegotiateFlag.VERSION |
    NegotiateFlag.NEGOTIATE_128 | NegotiateFlag.KEY_EXCH | NegotiateFlag.NEGOTIATE_56) >>> 0;

export const AvId = {
  EOL: 0,
  NB_COMPUTER_NAME: 1,
  NB_DOMAIN_NAME: 2,
  DNS_COMPUTER_NAME: 3,
  DNS_DOMAIN_NAME: 4,
  DNS_TREE_NAME: 5,
  FLAGS: 6,
  TIMESTAMP: 7,
  SINGLE_HOST: 8,
  TARGET_NAME: 9,
  CHANNEL_BINDINGS: 10,
} as const;

/** MsvAvFlags bit: the AUTHENTICATE message carries a MIC. */
export const AV_FLAG_MIC_PRESENT = 0x2;

export const has = (flags: number, flag: number): boolean => (flags & flag) !== 0;
