// Where alerts go and when to keep quiet, as saved in the settings. Secret fields (bot tokens,
// SMTP passwords, webhook URLs and signing secrets) are stored sealed by a secret box; the schema
// only asks that they are there, the alerting layer seals any it finds in clear.

import { z } from 'zod';
import { TIERS, type Tier } from './catalog';

export const CHANNEL_KINDS = ['desktop', 'telegram', 'email', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

// The alert vocabulary, shared by the router (what to say, to whom), the outbox (never lose it)
// and the channels (how to deliver it). Channels know nothing about monitors beyond this.

export type AlertKind =
  | 'down'
  | 'recovered'
  | 'degraded'
  | 'certificate'
  | 'flapping-started'
  | 'flapping-stopped'
  | 'offline'
  | 'online'
  | 'reminder'
  | 'test';

export type Severity = 'critical' | 'warning' | 'info';

export interface AlertSubject {
  monitorId: string;
  name: string;
  host: string;
  port: number;
}

export interface Alert {
  /** Stable for the same event, so a retried or replayed alert is recognised. */
  id: string;
  kind: AlertKind;
  severity: Severity;
  tier: Tier;
  /** When the event happened (epoch ms). */
  at: number;
  /** One line: "orders-db (10.0.0.6:5432) is DOWN". */
  title: string;
  /** What is wrong, since when, why (the diagnosis), on which host and port. */
  body: string;
  /** One monitor, or several when a storm was grouped (e.g. many ports of one host). */
  subjects: AlertSubject[];
}

export interface Delivery {
  ok: boolean;
  /** What happened, in words a person can act on: "Telegram rejected the bot token (401)". */
  detail: string;
  /** Whether trying again later may help (network down, 5xx) or not (bad token, 4xx). */
  retryable: boolean;
}

export const WEBHOOK_FORMATS = ['json', 'slack', 'discord'] as const;
export const EMAIL_SECURITY = ['starttls', 'tls', 'none'] as const;

/** The fields of each channel kind that are credentials: sealed at rest, never shown or exported. */
export const SECRET_FIELDS = {
  desktop: [],
  telegram: ['botToken'],
  email: ['password'],
  // Slack and Discord incoming-webhook URLs are themselves the credential.
  webhook: ['url', 'secret'],
} as const satisfies Record<ChannelKind, readonly string[]>;

const secret = (what: string) => z.string({ error: `${what} is missing` }).min(1, `${what} is empty`);

const ChannelBase = {
  id: z
    .string({ error: 'the channel id is missing' })
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a channel id is 1 to 40 lower-case letters, digits and dashes'),
  enabled: z.boolean().default(true),
};

const email = z
  .string()
  .trim()
  .regex(/^[^\s@<>]+@[^\s@<>]+$/, 'not an e-mail address');

export const ChannelConfigSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...ChannelBase, kind: z.literal('desktop') }),
    z.object({
      ...ChannelBase,
      kind: z.literal('telegram'),
      botToken: secret('the bot token'),
      chatId: z
        .string({ error: 'the chat id is missing' })
        .regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, 'the chat id is a number (-100…) or a public @channel name'),
      /** Only tests and self-hosted Bot API servers set this. */
      apiBase: z.url({ protocol: /^https?$/, error: 'the API base must be an http(s) URL' }).optional(),
    }),
    z.object({
      ...ChannelBase,
      kind: z.literal('email'),
      host: z.string({ error: 'the SMTP host is missing' }).trim().min(1, 'the SMTP host is empty').max(253),
      port: z.number().int().min(1).max(65535).default(587),
      /** starttls: upgrade and refuse without it (587); tls: TLS from the first byte (465); none: plain. */
      security: z.enum(EMAIL_SECURITY, { error: 'security is starttls, tls or none' }).default('starttls'),
      user: z.string().min(1).optional(),
      password: secret('the SMTP password').optional(),
      from: email,
      to: z.array(email).min(1, 'at least one recipient is needed').max(50),
      /** For a server with a self-signed certificate on a private network. */
      allowSelfSigned: z.boolean().default(false),
    }),
    z.object({
      ...ChannelBase,
      kind: z.literal('webhook'),
      url: secret('the webhook URL'),
      format: z.enum(WEBHOOK_FORMATS, { error: 'the format is json, slack or discord' }).default('json'),
      secret: secret('the signing secret').optional(),
    }),
  ],
  { error: 'kind must be desktop, telegram, email or webhook' },
);
export type ChannelConfig = z.infer<typeof ChannelConfigSchema>;
export type ChannelConfigInput = z.input<typeof ChannelConfigSchema>;

const kinds = z.array(z.enum(CHANNEL_KINDS, { error: 'a channel kind is desktop, telegram, email or webhook' }));
const minutesOrOff = z.number().int().min(5, 'reminders come at most every 5 minutes').max(10_080).nullable();

const MaintenanceScopeSchema = z.union([
  z.object({ monitorId: z.string().min(1) }).strict(),
  z.object({ tag: z.string().min(1) }).strict(),
  z.object({ host: z.string().min(1) }).strict(),
]);

export const MaintenanceWindowSchema = z.discriminatedUnion('kind', [
  z
    .object({
      id: z.string().min(1).max(64),
      scope: MaintenanceScopeSchema,
      kind: z.literal('once'),
      start: z.number().int().nonnegative(),
      end: z.number().int().nonnegative(),
    })
    .refine((w) => w.end > w.start, { path: ['end'], message: 'a window must end after it starts' }),
  z.object({
    id: z.string().min(1).max(64),
    scope: MaintenanceScopeSchema,
    kind: z.literal('weekly'),
    day: z.number().int().min(0).max(6),
    startMinute: z.number().int().min(0).max(1439),
    durationMinutes: z.number().int().min(1).max(10_080),
  }),
]);
export type MaintenanceWindowConfig = z.infer<typeof MaintenanceWindowSchema>;

const tierChannels = (t: Tier): ChannelKind[] => [...TIERS[t].channels];

export const AlertSettingsSchema = z
  .object({
    channels: z.array(ChannelConfigSchema).max(50).default([]),
    /** Which kinds of channel each tier's alerts go to. */
    routing: z
      .object({
        1: kinds.default(tierChannels(1)),
        2: kinds.default(tierChannels(2)),
        3: kinds.default(tierChannels(3)),
      })
      .default({ 1: tierChannels(1), 2: tierChannels(2), 3: tierChannels(3) }),
    /** Minutes between "still down" reminders per tier; null = never. */
    reminderMinutes: z
      .object({ 1: minutesOrOff.default(30), 2: minutesOrOff.default(120), 3: minutesOrOff.default(null) })
      .default({ 1: 30, 2: 120, 3: null }),
    maintenance: z.array(MaintenanceWindowSchema).max(500).default([]),
    /** Everything is quiet from `from` until `until` (epoch ms). */
    snooze: z.object({ from: z.number(), until: z.number() }).optional(),
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.channels.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({ code: 'custom', path: ['channels', i, 'id'], message: `"${c.id}" is already used` });
      seen.add(c.id);
    });
  });
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;

/** What alerts.update takes; channels and the snooze have calls of their own. */
export type AlertSettingsPatch = Partial<Pick<AlertSettings, 'routing' | 'reminderMinutes' | 'maintenance'>>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = AlertSettingsSchema.parse({});

export const OUTBOX_STATES = ['pending', 'sent', 'failed', 'escalated'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** One alert queued for one channel, as the UI shows it. */
export interface OutboxEntry {
  id: number;
  alertId: string;
  /** The channel's id. */
  channel: string;
  /** The channel's kind when the alert was queued; null if no such channel was configured. */
  kind: ChannelKind | null;
  alert: Alert;
  createdAt: number;
  /** When a pending row is tried next; for the others, when it was last due. */
  nextAttemptAt: number;
  /** Attempts that have finished (sent, failed, or timed out). */
  attempts: number;
  state: OutboxState;
  /** What the last attempt said, in words; null before the first attempt. */
  detail: string | null;
  sentAt: number | null;
}
