// The alert calls every front end makes (IPC, HTTP, CLI): channels, routing, reminders,
// maintenance windows, snooze, acknowledgements and the outbox. Arguments arrive unchecked;
// nothing throws past this class, and no secret leaves it in clear.

import type { Result } from '../../../shared/result';
import { z } from 'zod';
import { AlertSettingsSchema, type AlertSettings, type ChannelConfig } from '../../../shared/alerts';
import { describeIssues } from '../../../shared/monitor';
import type { ConfigStore } from '../config/store';
import type { SecretBox } from '../secrets';
import type { Alerting } from './alerting';
import type { OpenOptions } from './channel-config';
import { publicChannel } from './channel-config';
import { listChannels, removeChannel, saveChannel, testChannel } from './channel-store';
import { OUTBOX_STATES, type OutboxEntry } from './outbox';
import type { Delivery } from './types';

const SnoozeArg = z.enum(['1h', '4h', '8h', 'tomorrow-09', 'off'], {
  error: 'snooze is 1h, 4h, 8h, tomorrow-09 or off',
});
const OutboxQuery = z.object({
  limit: z.number().int().min(1).max(1000).default(100),
  state: z.enum(OUTBOX_STATES).optional(),
});
/** What may be changed by updateAlerts; channels and snooze have calls of their own. */
const AlertsPatch = z.strictObject(
  {
    routing: z.unknown().optional(),
    reminderMinutes: z.unknown().optional(),
    maintenance: z.unknown().optional(),
  },
  { error: 'only routing, reminderMinutes and maintenance are changed here; channels and snooze have their own calls' },
);

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The alert settings as they may be shown: every channel secret replaced by "(sealed)". */
export const publicAlerts = (a: AlertSettings): AlertSettings => ({ ...a, channels: a.channels.map(publicChannel) });

export class AlertService {
  constructor(
    private readonly config: Pick<ConfigStore, 'settings' | 'updateSettings'>,
    private readonly box: SecretBox,
    /** Absent where nothing is monitoring (a one-shot CLI command). */
    private readonly alerting?: Alerting,
    private readonly open: OpenOptions = {},
  ) {}

  settings(): AlertSettings {
    return publicAlerts(this.config.settings().alerts);
  }

  channels(): ChannelConfig[] {
    return listChannels(this.config);
  }

  saveChannel(input: unknown): Result<ChannelConfig> {
    if (typeof input !== 'object' || input === null) return { ok: false, error: 'a channel must be an object' };
    return saveChannel(this.config, this.box, input);
  }

  removeChannel(id: unknown): Result<true> {
    if (typeof id !== 'string') return { ok: false, error: 'the channel id must be a string' };
    return removeChannel(this.config, id);
  }

  async testChannel(id: unknown): Promise<Result<Delivery>> {
    if (typeof id !== 'string') return { ok: false, error: 'the channel id must be a string' };
    const d = await testChannel(this.config, this.box, id, this.open);
    return d.ok ? { ok: true, value: d } : { ok: false, error: d.detail };
  }

  updateAlerts(patch: unknown): Result<AlertSettings> {
    const p = AlertsPatch.safeParse(patch);
    if (!p.success) return { ok: false, error: describeIssues(p.error).join('; ') };
    const current = this.config.settings().alerts;
    const next = AlertSettingsSchema.safeParse({ ...current, ...p.data });
    if (!next.success)
      return { ok: false, error: `the alert settings were not saved: ${describeIssues(next.error).join('; ')}` };
    try {
      this.config.updateSettings({ alerts: next.data });
      return { ok: true, value: this.settings() };
    } catch (e) {
      return { ok: false, error: `the alert settings were not saved: ${message(e)}` };
    }
  }

  snooze(choice: unknown): Result<{ until: number | undefined }> {
    const c = SnoozeArg.safeParse(choice);
    if (!c.success) return { ok: false, error: c.error.issues[0]?.message ?? 'bad snooze choice' };
    if (!this.alerting) return { ok: false, error: 'alerts are not running here' };
    try {
      return { ok: true, value: this.alerting.snooze(c.data) };
    } catch (e) {
      return { ok: false, error: `the snooze was not saved: ${message(e)}` };
    }
  }

  ack(monitorId: unknown): Result<true> {
    if (typeof monitorId !== 'string' || monitorId === '')
      return { ok: false, error: 'the monitor id must be a string' };
    if (!this.alerting) return { ok: false, error: 'alerts are not running here' };
    this.alerting.ack(monitorId);
    return { ok: true, value: true };
  }

  outbox(query: unknown = {}): Result<OutboxEntry[]> {
    const q = OutboxQuery.safeParse(query ?? {});
    if (!q.success) return { ok: false, error: `outbox: ${describeIssues(q.error).join('; ')}` };
    if (!this.alerting) return { ok: false, error: 'alerts are not running here' };
    try {
      return {
        ok: true,
        value: this.alerting.outboxEntries({ limit: q.data.limit, ...(q.data.state ? { state: q.data.state } : {}) }),
      };
    } catch (e) {
      return { ok: false, error: `the outbox could not be read: ${message(e)}` };
    }
  }
}
