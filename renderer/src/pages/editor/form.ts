// The editor's form as plain strings (what the inputs hold), turned into a monitor and judged by
// the shared schema, so the window and the service agree on every rule and every word.

import type { NewMonitor } from '../../../../shared/api';
import { MonitorSchema, type Monitor, type MonitorInput } from '../../../../shared/monitor';
import { defaultUrl, presetFields, type Preset } from './presets';

export type Kind = Monitor['kind'];

export interface FormValues {
  /** The preset last picked, "<service>:<port>", or '' for a custom monitor. */
  preset: string;
  name: string;
  kind: Kind;
  host: string;
  port: string;
  url: string;
  check: string;
  /** Dialogue steps as JSON, for the generic "dialogue" check. */
  steps: string;
  implicitTls: boolean;
  starttls: boolean;
  tier: '1' | '2' | '3';
  intervalSec: string;
  timeoutMs: string;
  retries: string;
  retryIntervalSec: string;
  slowMs: string;
  tags: string;
  notes: string;
  exposure: Monitor['exposure'];
  enabled: boolean;
  service: string;
}

/** Every field that can carry an error, in the order the form shows them (the first gets focus). */
export const FIELD_ORDER = [
  'name',
  'kind',
  'host',
  'port',
  'url',
  'check',
  'steps',
  'tier',
  'intervalSec',
  'timeoutMs',
  'retries',
  'retryIntervalSec',
  'slowMs',
  'tags',
  'notes',
  'exposure',
  'enabled',
] as const;
export type FieldName = (typeof FIELD_ORDER)[number];
export type FieldErrors = Partial<Record<FieldName, string>>;

/** The schema's field names onto the form's, where they differ. */
const SCHEMA_FIELD: Record<string, FieldName> = { settings: 'steps' };

export const emptyForm = (): FormValues => ({
  preset: '',
  name: '',
  kind: 'tcp',
  host: '',
  port: '',
  url: '',
  check: '',
  steps: '',
  implicitTls: false,
  starttls: false,
  tier: '2',
  intervalSec: '',
  timeoutMs: '',
  retries: '',
  retryIntervalSec: '',
  slowMs: '',
  tags: '',
  notes: '',
  exposure: 'internal',
  enabled: true,
  service: '',
});

const text = (n: number | undefined): string => (n === undefined ? '' : String(n));

export function formFromMonitor(m: Monitor): FormValues {
  const steps =
    m.check === 'dialogue' && m.settings?.steps !== undefined ? JSON.stringify(m.settings.steps, null, 2) : '';
  return {
    preset: '',
    name: m.name,
    kind: m.kind,
    host: m.host,
    port: String(m.port),
    url: m.url ?? '',
    check: m.check ?? '',
    steps,
    implicitTls: m.implicitTls ?? false,
    starttls: m.starttls ?? false,
    tier: String(m.tier) as FormValues['tier'],
    intervalSec: text(m.intervalSec),
    timeoutMs: text(m.timeoutMs),
    retries: text(m.retries),
    retryIntervalSec: text(m.retryIntervalSec),
    slowMs: text(m.slowMs),
    tags: m.tags.join(', '),
    notes: m.notes ?? '',
    exposure: m.exposure,
    enabled: m.enabled,
    service: m.service ?? '',
  };
}

/** The form after picking a preset; the name follows the preset unless the user wrote one. */
export function withPreset(v: FormValues, p: Preset | undefined, previous: Preset | undefined): FormValues {
  if (!p) return { ...v, preset: '', service: '' };
  const f = presetFields(p);
  const nameIsOurs = v.name.trim() === '' || v.name === previous?.entry.name;
  return {
    ...v,
    preset: p.key,
    name: nameIsOurs ? p.entry.name : v.name,
    kind: f.kind,
    port: String(f.port),
    url: f.kind === 'http' ? defaultUrl(v.host, f.port) : v.url,
    check: f.check ?? '',
    implicitTls: f.implicitTls,
    starttls: f.starttls,
    tier: String(f.tier) as FormValues['tier'],
    timeoutMs: String(f.timeoutMs),
    service: f.service,
  };
}

const OVERRIDES = ['intervalSec', 'timeoutMs', 'retries', 'retryIntervalSec', 'slowMs'] as const;

/** A number as typed: empty means "not given"; anything else goes to the schema as a number, NaN included. */
const numberOf = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s.trim()));

export interface Built {
  monitor: NewMonitor;
  /** Problems found before the schema could look (steps that are not JSON). */
  errors: FieldErrors;
}

/**
 * The monitor the form describes. Editing starts from the saved monitor so that what the form
 * does not show (http options, group, resolver, other settings) is kept.
 */
export function buildMonitor(v: FormValues, saved?: Monitor): Built {
  const errors: FieldErrors = {};
  const base: Record<string, unknown> = saved ? { ...saved } : {};
  for (const k of ['url', 'check', 'implicitTls', 'starttls', 'notes', 'service', ...OVERRIDES]) delete base[k];

  const m: Record<string, unknown> = {
    ...base,
    name: v.name,
    kind: v.kind,
    host: v.host.trim(),
    port: numberOf(v.port) ?? Number.NaN,
    tier: Number(v.tier),
    tags: v.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    exposure: v.exposure,
    enabled: v.enabled,
  };
  if (v.kind === 'http') m.url = v.url.trim() || undefined;
  if (v.kind === 'service') {
    if (v.check) m.check = v.check;
    if (v.implicitTls) m.implicitTls = true;
    if (v.starttls) m.starttls = true;
    if (v.check === 'dialogue') {
      try {
        m.settings = { ...(saved?.settings ?? {}), steps: JSON.parse(v.steps) as unknown };
      } catch (e) {
        errors.steps = `the steps are not JSON: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
  }
  if (v.service) m.service = v.service;
  if (v.notes.trim()) m.notes = v.notes;
  else if (saved?.notes) m.notes = '';
  for (const k of OVERRIDES) {
    const n = numberOf(v[k]);
    if (n !== undefined) m[k] = n;
  }
  for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
  if (saved) clearRemovedFields(m, saved);
  return { monitor: m as NewMonitor, errors };
}

/** The optional fields this form edits; the others (DNS settings, HTTP options, …) are left as saved. */
const OPTIONAL_FIELDS = [...OVERRIDES, 'url', 'check', 'implicitTls', 'starttls', 'service', 'notes'] as const;

/**
 * An update merges into the saved monitor: a field the form emptied (an override back to the
 * tier default, the URL of a monitor that is no longer http) is sent as null, which removes it.
 */
function clearRemovedFields(m: Record<string, unknown>, saved: Monitor): void {
  for (const k of OPTIONAL_FIELDS) if (saved[k] !== undefined && m[k] === undefined) m[k] = null;
}

const fieldOf = (key: PropertyKey | undefined): FieldName | undefined => {
  if (typeof key !== 'string') return undefined;
  const mapped = (Object.hasOwn(SCHEMA_FIELD, key) ? SCHEMA_FIELD[key] : undefined) ?? key;
  return (FIELD_ORDER as readonly string[]).includes(mapped) ? (mapped as FieldName) : undefined;
};

export interface Judged {
  monitor: NewMonitor;
  fields: FieldErrors;
  /** Problems that belong to no field of the form. */
  other: string[];
}

/** The form judged by the shared schema: one message per field, the first the schema gives. */
export function judge(v: FormValues, saved?: Monitor): Judged {
  const { monitor, errors } = buildMonitor(v, saved);
  const fields: FieldErrors = { ...errors };
  const other: string[] = [];
  const parsed = MonitorSchema.safeParse({ id: 'new', ...monitor } satisfies MonitorInput);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path[0]);
      if (field) fields[field] ??= issue.message;
      else other.push(`${issue.path.map(String).join('.') || 'monitor'}: ${issue.message}`);
    }
  return { monitor, fields, other };
}

/**
 * The service's answer ("port: the port must be from 1 to 65535; name: the name is empty") split
 * into the fields it names; whatever names no field stays whole.
 */
export function serverErrors(message: string): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const part of message.split('; ')) {
    const m = /^([A-Za-z]+)(?:\.[\w.]+)?: (.+)$/.exec(part);
    const field = fieldOf(m?.[1]);
    if (m?.[2] && field) fields[field] ??= m[2];
    else other.push(part);
  }
  return { fields, other };
}

export const firstInvalid = (errors: FieldErrors): FieldName | undefined => FIELD_ORDER.find((f) => errors[f]);
