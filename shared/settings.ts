// App-wide settings, saved next to the monitors. Every field has a default so a fresh install, an
// older file or a hand-edited one missing keys all load to a complete object.

import { z } from 'zod';
import { AlertSettingsSchema, DEFAULT_ALERT_SETTINGS } from './alerts';
import { VANTAGE_SETTINGS } from './vantage';

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be from ${min} to ${max}`)
    .max(max, `${what} must be from ${min} to ${max}`);

/** A host that should always answer: when it fails too, the fault is our own network. */
export const CanarySchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, 'the host is empty')
    .max(253, 'the host name is longer than 253 characters')
    .regex(/^[A-Za-z0-9_.:-]+$/, 'the host may hold only letters, digits, dots, dashes, underscores and colons'),
  port: wholeNumber('the port', 1, 65535),
});
export type Canary = z.infer<typeof CanarySchema>;

export const THEMES = ['system', 'light', 'dark'] as const;

export const SettingsSchema = z
  .object({
    canary: CanarySchema.optional(),
    retentionRawDays: wholeNumber('the days raw results are kept', 1, 3650).default(14),
    retentionRollupDays: wholeNumber('the days rollups are kept', 1, 36_500).default(400),
    maxInFlight: wholeNumber('the number of checks at once', 1, 1024).default(64),
    maxPerHost: wholeNumber('the number of checks at once per host', 1, 64).default(4),
    resumeGraceSec: wholeNumber('the seconds of grace after waking', 0, 600).default(10),
    theme: z.enum(THEMES, { error: 'the theme must be system, light or dark' }).default('system'),
    alerts: AlertSettingsSchema.default(DEFAULT_ALERT_SETTINGS),
    /** Other instances to see targets from (their tokens sealed), and whether downs wait for them to agree. */
    ...VANTAGE_SETTINGS,
  })
  .superRefine((s, ctx) => {
    // Rollups are built from raw results; dropping rollups first would leave gaps in long charts.
    if (s.retentionRollupDays < s.retentionRawDays)
      ctx.addIssue({
        code: 'custom',
        path: ['retentionRollupDays'],
        message: 'rollups must be kept at least as long as raw results',
      });
    if (s.maxPerHost > s.maxInFlight)
      ctx.addIssue({
        code: 'custom',
        path: ['maxPerHost'],
        message: 'checks at once per host cannot exceed checks at once',
      });
  });

export type Settings = z.infer<typeof SettingsSchema>;
/** Settings as a person writes them: any field may be left out. */
export type SettingsInput = z.input<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
