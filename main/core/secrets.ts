import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Keeps secrets (bot tokens, SMTP passwords, webhook secrets) out of the config file in clear.
 * The app seals them with the OS keychain (Electron safeStorage); the CLI and `serve` with a
 * key file only the user can read. A sealed value names its box, so the wrong one says so.
 */
export interface SecretBox {
  /** What sealed values start with, e.g. "pw-key:v1:". */
  readonly prefix: string;
  seal: (plain: string) => string;
  open: (sealed: string) => string;
}

export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

export const isSealed = (value: string): boolean => /^pw-[a-z]+:v\d+:/.test(value);

const KEY_PREFIX = 'pw-key:v1:';

function loadKey(file: string): Buffer {
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    // Readable by others means anyone on the machine could open every secret.
    if (process.platform !== 'win32' && (mode & 0o077) !== 0)
      throw new SecretError(
        `the key file ${file} is readable by other users (mode ${mode.toString(8)}): run chmod 600 on it`,
      );
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new SecretError(`the key file ${file} does not hold a 256-bit key`);
    return key;
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

/** AES-256-GCM with a key kept in `file` (created with mode 0600 on first use). */
export function keyFileBox(file: string): SecretBox {
  const key = loadKey(file);
  return {
    prefix: KEY_PREFIX,
    seal: (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${KEY_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open: (sealed) => {
      if (!sealed.startsWith(KEY_PREFIX)) {
        const box = /^pw-([a-z]+):/.exec(sealed)?.[1];
        throw new SecretError(
          box
            ? `this secret was sealed by the ${box} box (the desktop app's keychain), not by ${file}`
            : 'this value is not a sealed secret',
        );
      }
      const raw = Buffer.from(sealed.slice(KEY_PREFIX.length), 'base64');
      if (raw.length < 28) throw new SecretError('the sealed secret is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretError(
          `the secret cannot be opened with the key in ${file}: it was sealed with another key or altered`,
        );
      }
    },
  };
}
