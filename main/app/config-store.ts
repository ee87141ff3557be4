import Store from 'electron-store';
import { ConfigStore, backendOptions } from '../core/config/store';
import { CONFIG_NAME } from '../core/config/paths';

/**
 * The app's saved monitors and settings: electron-store over the same config.json in userData
 * that `portwatch verify` reads through conf, with the same validation and recovery.
 */
export function openAppConfig(): ConfigStore {
  return ConfigStore.open(() => new Store<Record<string, unknown>>({ ...backendOptions, name: CONFIG_NAME }));
}
