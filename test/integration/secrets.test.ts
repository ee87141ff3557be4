import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretError, isSealed, keyFileBox } from '../../main/core/secrets';

describe('secret box (key file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key only the user can read, and seals values that do not show the secret', () => {
    const file = join(dir, 'a', 'secret.key');
    const box = keyFileBox(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = box.seal('123456:bot-token-s3cret');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed)).toBe('123456:bot-token-s3cret');
    // The same key is used again after a restart.
    expect(keyFileBox(file).open(sealed)).toBe('123456:bot-token-s3cret');
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
  });

  it('refuses a key file others can read, an altered value, and another key, saying which', () => {
    const file = join(dir, 'b.key');
    const sealed = keyFileBox(file).seal('smtp-password');
    chmodSync(file, 0o644);
    expect(() => keyFileBox(file)).toThrow(/readable by other users \(mode 644\): run chmod 600/);
    chmodSync(file, 0o600);
    const box = keyFileBox(file);
    const altered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => box.open(altered)).toThrow(SecretError);
    expect(() => keyFileBox(join(dir, 'other.key')).open(sealed)).toThrow(/sealed with another key or altered/);
    expect(() => box.open('pw-keychain:v1:abc')).toThrow(/sealed by the keychain box/);
    expect(() => box.open('plain text')).toThrow(/not a sealed secret/);
  });
});
