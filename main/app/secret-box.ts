import { safeStorage } from 'electron';
import { SecretError, type SecretBox } from '../core/secrets';

const PREFIX = 'pw-keychain:v1:';

/** Seals secrets with the OS keychain (Keychain, DPAPI, libsecret/kwallet) through safeStorage. */
export function keychainBox(): SecretBox {
  if (!safeStorage.isEncryptionAvailable())
    throw new SecretError('the OS keychain is not available, so secrets cannot be stored safely on this desktop');
  return {
    prefix: PREFIX,
    seal: (plain) => `${PREFIX}${safeStorage.encryptString(plain).toString('base64')}`,
    open: (sealed) => {
      if (!sealed.startsWith(PREFIX))
        throw new SecretError('this secret was not sealed by the OS keychain of this app');
      try {
        return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
      } catch (e) {
        throw new SecretError(
          `the OS keychain could not open this secret: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    },
  };
}
