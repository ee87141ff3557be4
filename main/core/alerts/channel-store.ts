// Adding, changing, removing and testing the alert channels kept in the settings. Shared by the
// CLI (`portwatch alert …`), `serve`'s API and the app; secrets are sealed before anything is saved.

import type { Result } from '../../../shared/result';
import { SECRET_FIELDS, ChannelConfigSchema, type AlertSettings, type ChannelConfig } from '../../../shared/alerts';
import { describeIssues } from '../../../shared/monitor';
import type { ConfigStore } from '../config/store';
import type { SecretBox } from '../secrets';
import {
  SEALED_MARK,
  clearSecretProblems,
  hasClearSecret,
  openChannel,
  publicChannel,
  sealChannel,
  type OpenOptions,
} from './channel-config';
import { testAlert } from './channels/test-alert';
import type { Delivery } from './types';

type Settings = Pick<ConfigStore, 'settings' | 'updateSettings'>;

const alertsOf = (config: Settings): AlertSettings => config.settings().alerts;

const saveAlerts = (config: Settings, alerts: AlertSettings): void => {
  config.updateSettings({ alerts });
};

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The channels as they may be shown: secrets replaced by "(sealed)". */
export const listChannels = (config: Settings): ChannelConfig[] => alertsOf(config).channels.map(publicChannel);

/**
 * Adds a channel, or replaces the one with the same id. A secret left out or given as "(sealed)"
 * keeps the saved one, so a form can change the chat id without asking for the token again.
 */
export function saveChannel(config: Settings, box: SecretBox, input: unknown): Result<ChannelConfig> {
  try {
    const alerts = alertsOf(config);
    const id = (input as { id?: unknown } | null)?.id;
    const old = alerts.channels.find((c) => c.id === id);
    const merged: Record<string, unknown> = { ...(input as object) };
    if (old && old.kind === merged.kind)
      for (const f of SECRET_FIELDS[old.kind]) {
        const given = merged[f];
        const kept = (old as unknown as Record<string, unknown>)[f];
        if ((given === undefined || given === SEALED_MARK) && kept !== undefined) merged[f] = kept;
      }
    for (const [k, v] of Object.entries(merged))
      if (v === SEALED_MARK) return { ok: false, error: `${k}: enter the secret; there is no saved one to keep` };
    const parsed = ChannelConfigSchema.safeParse(merged);
    if (!parsed.success)
      return { ok: false, error: `the channel was not saved: ${describeIssues(parsed.error).join('; ')}` };
    const problems = clearSecretProblems(parsed.data);
    if (problems.length) return { ok: false, error: `the channel was not saved: ${problems.join('; ')}` };
    const sealed = sealChannel(parsed.data, box);
    const channels = old ? alerts.channels.map((c) => (c.id === sealed.id ? sealed : c)) : [...alerts.channels, sealed];
    saveAlerts(config, { ...alerts, channels });
    return { ok: true, value: publicChannel(sealed) };
  } catch (e) {
    return { ok: false, error: `the channel was not saved: ${message(e)}` };
  }
}

export function removeChannel(config: Settings, id: string): Result<true> {
  const alerts = alertsOf(config);
  if (!alerts.channels.some((c) => c.id === id)) return { ok: false, error: `there is no channel "${id}"` };
  try {
    saveAlerts(config, { ...alerts, channels: alerts.channels.filter((c) => c.id !== id) });
    return { ok: true, value: true };
  } catch (e) {
    return { ok: false, error: `the channel was not removed: ${message(e)}` };
  }
}

/**
 * Seals any secret found in clear (a hand-edited file) and saves, so the file holds none after
 * the first start. Returns how many channels were changed.
 */
export function sealStoredSecrets(config: Settings, box: SecretBox): number {
  const alerts = alertsOf(config);
  const clear = alerts.channels.filter(hasClearSecret);
  if (clear.length === 0) return 0;
  saveAlerts(config, {
    ...alerts,
    channels: alerts.channels.map((c) => (hasClearSecret(c) ? sealChannel(c, box) : c)),
  });
  return clear.length;
}

/** Sends the harmless test alert through one saved channel, bypassing the outbox: the answer is now. */
export async function testChannel(
  config: Settings,
  box: SecretBox,
  id: string,
  options: OpenOptions & { timeoutMs?: number } = {},
): Promise<Delivery> {
  const saved = alertsOf(config).channels.find((c) => c.id === id);
  if (!saved) {
    const known = alertsOf(config).channels.map((c) => c.id);
    return {
      ok: false,
      retryable: false,
      detail: `there is no channel "${id}"${known.length ? ` (channels: ${known.join(', ')})` : ' (none is configured)'}`,
    };
  }
  const channel = openChannel(saved, box, options);
  return channel.send(testAlert(), AbortSignal.timeout(options.timeoutMs ?? 20_000));
}
