// The monitor model: what to check, how, and how loudly. Validated with zod wherever a monitor
// enters (config file, IPC, HTTP, import), so the rest of the code can trust its shape.

import { z } from 'zod';
import { CHANNEL_KINDS } from './alerts';
import { TIERS, type Tier } from './catalog';
import { parseStatusRule } from './http-status';

const hostName = z
  .string()
  .trim()
  .min(1, 'the host is empty')
  .max(253, 'the host name is longer than 253 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'the host may hold only letters, digits, dots, dashes, underscores and colons');

const port = z
  .number({ error: 'the port must be a number' })
  .int('the port must be a whole number')
  .min(1, 'the port must be from 1 to 65535')
  .max(65535, 'the port must be from 1 to 65535');

const statusRule = z
  .string()
  .refine((s) => parseStatusRule(s).ok, { message: 'use 200, 2xx, 200-299 or a comma list of those' });

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

export const HttpCheckSchema = z.object({
  method: z
    .string()
    .regex(/^[A-Z]+$/, 'the method must be an upper-case HTTP verb')
    .default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  expectStatus: statusRule.default('200-399'),
  bodyContains: z.string().optional(),
  bodyRegex: regexSource.optional(),
  followRedirects: z.boolean().default(true),
  maxBodyBytes: z
    .number()
    .int()
    .min(1)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
});
export type HttpCheck = z.infer<typeof HttpCheckSchema>;

export const ResolverSchema = z.object({ host: z.string().min(1), port: port.default(53) });

export const MonitorSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().trim().min(1, 'the name is empty').max(200),
    kind: z.enum(['tcp', 'tls', 'http', 'service']),
    host: hostName,
    port,
    /** The address to request, for http monitors. */
    url: z.url({ protocol: /^https?$/, error: 'the URL must start with http:// or https://' }).optional(),
    /** The catalog service this monitor watches, when it came from a preset. */
    service: z.string().optional(),
    /** For kind "service": the service check to run (redis, postgres, smtp, …). */
    check: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'a check name is lower-case letters, digits and dashes')
      .optional(),
    /** TLS from the first byte before the service's own exchange (SMTPS 465, IMAPS 993). */
    implicitTls: z.boolean().optional(),
    /** Upgrade with STARTTLS where the service offers it, and judge the certificate. */
    starttls: z.boolean().optional(),
    /** Check-specific settings: a DNS name and type to ask for, dialogue steps, … */
    settings: z.record(z.string(), z.unknown()).optional(),
    tier: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
    // Overrides of the tier's policy; absent means "the tier default".
    intervalSec: z.number().int().min(5).max(86_400).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    retries: z.number().int().min(0).max(10).optional(),
    retryIntervalSec: z.number().int().min(1).max(3_600).optional(),
    slowMs: z.number().int().min(1).max(120_000).optional(),
    recoverySuccesses: z.number().int().min(1).max(10).optional(),
    /** Days before certificate expiry to warn at; the largest makes the monitor degraded. */
    certWarnDays: z.array(z.number().int().min(1).max(365)).max(5).optional(),
    family: z.union([z.literal(4), z.literal(6)]).optional(),
    resolver: ResolverSchema.optional(),
    servername: z.string().optional(),
    insecure: z.boolean().optional(),
    http: HttpCheckSchema.optional(),
    /** The host or group it is shown under; defaults to the host. */
    group: z.string().max(200).optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
    exposure: z.enum(['internal', 'external']).default('internal'),
    notes: z.string().max(4000).optional(),
    enabled: z.boolean().default(true),
    /** Replaces the tier's channel kinds for this monitor's alerts. */
    alertChannels: z
      .array(z.enum(CHANNEL_KINDS, { error: 'a channel kind is desktop, telegram, email or webhook' }))
      .optional(),
  })
  .superRefine((m, ctx) => {
    if (m.kind === 'http' && !m.url)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'an http monitor needs a URL' });
    if (m.kind !== 'http' && m.url)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'only http monitors take a URL' });
    if (m.kind === 'service' && !m.check)
      ctx.addIssue({ code: 'custom', path: ['check'], message: 'a service monitor needs the name of its check' });
  });

export type Monitor = z.infer<typeof MonitorSchema>;
/** A monitor as a person writes it: defaults may be left out. */
export type MonitorInput = z.input<typeof MonitorSchema>;

/** How a monitor is checked and judged, with every tier default filled in. */
export interface Policy {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  retryIntervalMs: number;
  slowMs: number;
  recoverySuccesses: number;
  certWarnDays: number[];
}

const DEFAULT_TIMEOUT_MS: Record<Monitor['kind'], number> = { tcp: 3000, tls: 5000, http: 10_000, service: 5000 };

export function policyFor(m: Pick<Monitor, 'tier' | 'kind'> & Partial<Monitor>): Policy {
  const tier = TIERS[m.tier as Tier];
  const timeoutMs = m.timeoutMs ?? DEFAULT_TIMEOUT_MS[m.kind];
  return {
    intervalMs: (m.intervalSec ?? tier.intervalSec) * 1000,
    timeoutMs,
    retries: m.retries ?? tier.retries,
    retryIntervalMs: (m.retryIntervalSec ?? tier.retryIntervalSec) * 1000,
    // Slow is half the timeout unless said otherwise: a port answering that late is in trouble.
    slowMs: m.slowMs ?? Math.round(timeoutMs / 2),
    recoverySuccesses: m.recoverySuccesses ?? 1,
    certWarnDays: m.certWarnDays ?? [30, 14, 7],
  };
}

/** Where a monitor is shown: its group, or its host. */
export const groupOf = (m: Pick<Monitor, 'group' | 'host'>): string => m.group ?? m.host;

/** zod's issues as "field: message" lines a person can act on. */
export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return path ? `${path}: ${i.message}` : i.message;
  });
}
