// Ansible Vault (formats 1.1 and 1.2, AES256), decrypted with node:crypto so that an inventory
// holding `ansible_password: !vault |` works as in Ansible, and ciphertext is never sent as a password.
// Format (ansible/parsing/vault/__init__.py): a header line `$ANSIBLE_VAULT;1.1;AES256` (1.2 adds
// `;LABEL`), then hex lines of hexlify(hexlify(salt) \n hexlify(hmac) \n hexlify(ciphertext)). Keys:
// PBKDF2-HMAC-SHA256(password, salt, 10000, 80 bytes) = AES-256-CTR key | HMAC-SHA256 key | counter.

import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { GofleetError } from '../errors.ts';

/** A `!vault` tagged YAML value, kept encrypted until a password is known. */
export class VaultText {
  constructor(readonly text: string) {}
  toJSON(): string {
    return '<vault>';
  }
}

/** Why a vault text could not be decrypted; the caller adds where it was written. */
export class VaultError extends Error {
  constructor(message: string, readonly reason: 'format' | 'password') {
    super(message);
  }
}

const HEADER = '$ANSIBLE_VAULT';

export function isVaultText(text: string): boolean {
  return text.trimStart().startsWith(HEADER);
}

function unhex(text: string, what: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new VaultError(`the vault ${what} is not hexadecimal`, 'format');
  return Buffer.from(text, 'hex');
}

/** A whole file encrypted with `ansible-vault encrypt`: refused by name, never parsed as YAML or INI. */
export function refuseVaultFile(file: string, text: string): void {
  if (!isVaultText(text)) return;
  throw new GofleetError('VAULT_FILE_ENCRYPTED', `${file}: the whole file is encrypted with Ansible Vault (${text.trim().split('\n')[0]!.trim()})`, {
    location: { file, line: 1 },
  });
}

/** The vault's label (1.2), or undefined. */
export function vaultLabel(text: string): string | undefined {
  return text.trim().split('\n')[0]!.trim().split(';')[3];
}

export function decryptVault(text: string, password: string): string {
  const [header = '', ...lines] = text.trim().split(/\r?\n/).map((l) => l.trim());
  const [tag, version, cipher] = header.split(';');
  if (tag !== HEADER) throw new VaultError('not an Ansible Vault text (no $ANSIBLE_VAULT header)', 'format');
  if (version !== '1.1' && version !== '1.2') throw new VaultError(`vault format ${version ?? '?'} is not supported (1.1 and 1.2 are)`, 'format');
  if (cipher !== 'AES256') throw new VaultError(`vault cipher ${cipher ?? '?'} is not supported (AES256 is)`, 'format');
  const parts = unhex(lines.join(''), 'payload').toString('latin1').split('\n');
  if (parts.length !== 3) throw new VaultError('the vault payload does not hold salt, HMAC and ciphertext', 'format');
  const salt = unhex(parts[0]!, 'salt');
  const hmac = unhex(parts[1]!, 'HMAC');
  const ciphertext = unhex(parts[2]!, 'ciphertext');
  const keys = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 10_000, 80, 'sha256');
  const expected = createHmac('sha256', keys.subarray(32, 64)).update(ciphertext).digest();
  if (hmac.length !== expected.length || !timingSafeEqual(hmac, expected)) {
    throw new VaultError('the vault password is wrong (HMAC mismatch)', 'password');
  }
  const decipher = createDecipheriv('aes-256-ctr', keys.subarray(0, 32), keys.subarray(64, 80));
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return unpad(padded).toString('utf8');
}

/** PKCS#7 (block 16), as Ansible pads before CTR encryption. */
function unpad(data: Buffer): Buffer {
  const n = data.at(-1) ?? 0;
  if (n < 1 || n > 16 || n > data.length || data.subarray(data.length - n).some((b) => b !== n)) {
    throw new VaultError('the vault plaintext has bad padding', 'format');
  }
  return data.subarray(0, data.length - n);
}
