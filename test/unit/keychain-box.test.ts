import { describe, expect, it, vi } from 'vitest';

// Electron mocked at its boundary: safeStorage seals by XOR with a fixed byte, enough to prove
// the glue sends the secret through it and never stores it in clear.
const keychain = vi.hoisted(() => ({ available: true }));
vi.mock('electron', () => {
  const xor = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ 0x5a));
  const safeStorage = {
    isEncryptionAvailable: () => keychain.available,
    encryptString: (s: string) => xor(Buffer.from(s, 'utf8')),
    decryptString: (b: Buffer) => {
      if (b.length === 0)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return xor(b).toString('utf8');
    },
  };
  return { default: { safeStorage }, safeStorage };
});

const { keychainBox } = await import('../../main/app/secret-box');

describe('keychain secret box (desktop app)', () => {
  it('seals through safeStorage and opens again; the sealed text does not show the secret', () => {
    const box = keychainBox();
    const sealed = box.seal('hunter2-webhook-secret');
    expect(sealed.startsWith('pw-keychain:v1:')).toBe(true);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed)).toBe('hunter2-webhook-secret');
  });

  it('says clearly when the keychain is missing or a value is not its own', () => {
    expect(() => keychainBox().open('pw-key:v1:abc')).toThrow(/not sealed by the OS keychain/);
    expect(() => keychainBox().open('pw-keychain:v1:')).toThrow(/could not open this secret/);
    keychain.available = false;
    expect(() => keychainBox()).toThrow(/OS keychain is not available/);
  });
});
