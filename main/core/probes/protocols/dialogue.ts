import { z } from 'zod';
import { ProbeFailure } from '../failure';
import { MAX_REPLY_BYTES, printable, type Conversation } from './conversation';
import type { DialogueContext, ServiceCheck } from './types';

// A generic check for services Portwatch has no check for, written as data (like
// blackbox_exporter's query_response). `settings.steps` is run in order:
//
//   { "expect": "<regex>" }     read lines (CRLF stripped) until one matches the JavaScript
//                               regular expression; at most MAX_REPLY_BYTES are read per step.
//   { "send": "<text>" }        sent exactly as given, as UTF-8: no escapes are interpreted and no
//                               line ending is added. JSON and YAML already turn "\r\n" into CR LF,
//                               so write { "send": "PING\r\n" } in the monitor's settings.
//   { "sendHex": "<hex>" }      sent as bytes; spaces between the hex digits are allowed.
//   { "expectHex": "<hex>" }    the next bytes to arrive must start with these; exactly that many
//                               bytes are consumed, whatever follows stays for the next step.
//   { "starttls": true }        upgrades to TLS here (the certificate is judged like the tls
//                               probe's), whatever the monitor's starttls flag says.

const MAX_STEPS = 50;

const hex = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .refine((s) => s.length > 0, 'is empty')
  .refine((s) => /^[0-9a-fA-F]*$/.test(s), 'is not hex digits')
  .refine((s) => s.length % 2 === 0, 'has an odd number of hex digits');

const regex = z
  .string()
  .min(1, 'is empty')
  .transform((s, ctx) => {
    try {
      return new RegExp(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `is not a valid regular expression (${(e as Error).message})` });
      return z.NEVER;
    }
  });

const STEP_SCHEMAS = {
  expect: z.strictObject({ expect: regex }),
  send: z.strictObject({ send: z.string().min(1, 'is empty') }),
  sendHex: z.strictObject({ sendHex: hex }),
  expectHex: z.strictObject({ expectHex: hex }),
  starttls: z.strictObject({ starttls: z.literal(true, 'must be true') }),
} as const;

type StepKind = keyof typeof STEP_SCHEMAS;

export type DialogueStep =
  | { kind: 'expect'; expect: RegExp }
  | { kind: 'send'; data: Buffer; text: string }
  | { kind: 'expectHex'; bytes: Buffer }
  | { kind: 'starttls' };

const STEP_SHAPES =
  '{ expect: "<regex>" }, { send: "<text>" }, { sendHex: "<hex>" }, { expectHex: "<hex>" } or { starttls: true }';

const badSettings = (why: string): ProbeFailure => new ProbeFailure('error', 'greeting', `dialogue settings: ${why}`);

const shown = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** Validates `settings.steps`; throws ProbeFailure('error') naming the bad step (counted from 1). */
export function parseSteps(settings: Record<string, unknown>): DialogueStep[] {
  const steps = settings.steps;
  if (!Array.isArray(steps) || steps.length === 0)
    throw badSettings(`"steps" must be a non-empty list of ${STEP_SHAPES}`);
  if (steps.length > MAX_STEPS) throw badSettings(`at most ${MAX_STEPS} steps, got ${steps.length}`);
  return steps.map((raw: unknown, i): DialogueStep => {
    const n = i + 1;
    const keys = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw) : [];
    const kind = keys.length === 1 && keys[0] && keys[0] in STEP_SCHEMAS ? (keys[0] as StepKind) : undefined;
    if (!kind) throw badSettings(`step ${n} must be one of ${STEP_SHAPES}; got ${shown(raw)}`);
    const parsed = STEP_SCHEMAS[kind].safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? 'is not valid';
      throw badSettings(`step ${n} (${kind}) ${why}: ${shown(raw)}`);
    }
    const v = parsed.data;
    if ('expect' in v) return { kind: 'expect', expect: v.expect };
    if ('send' in v) return { kind: 'send', data: Buffer.from(v.send, 'utf8'), text: v.send };
    if ('sendHex' in v) {
      const data = Buffer.from(v.sendHex, 'hex');
      return { kind: 'send', data, text: `0x${v.sendHex}` };
    }
    if ('expectHex' in v) return { kind: 'expectHex', bytes: Buffer.from(v.expectHex, 'hex') };
    return { kind: 'starttls' };
  });
}

const describe = (step: DialogueStep): string => {
  switch (step.kind) {
    case 'expect':
      return `expect ${String(step.expect)}`;
    case 'send':
      return `send "${printable(step.text, 40)}"`;
    case 'expectHex':
      return `expectHex ${step.bytes.toString('hex')}`;
    case 'starttls':
      return 'starttls';
  }
};

/** Reads lines until one matches; a server that only says other things is cut off after MAX_REPLY_BYTES. */
async function expectLine(conv: Conversation, re: RegExp): Promise<string> {
  const seen: string[] = [];
  let total = 0;
  const got = (): string => printable(seen.slice(-3).join('\n'), 120);
  for (;;) {
    let line: string;
    try {
      line = await conv.line('a matching line');
    } catch (e) {
      // Say what did arrive before the server hung up.
      if (e instanceof ProbeFailure && e.outcome === 'reset' && seen.length)
        throw new ProbeFailure(
          'protocol',
          conv.phase,
          `no matching line, got "${got()}", then the server closed the connection`,
        );
      throw e;
    }
    if (re.test(line)) return line;
    seen.push(line);
    total += line.length + 1;
    if (total > MAX_REPLY_BYTES)
      throw new ProbeFailure('protocol', conv.phase, `no matching line in ${MAX_REPLY_BYTES} bytes, last "${got()}"`);
  }
}

async function run(
  conv: Conversation,
  ctx: DialogueContext,
  step: DialogueStep,
  state: { sent: boolean },
): Promise<string | undefined> {
  switch (step.kind) {
    case 'send':
      conv.phase = 'request';
      conv.send(step.data);
      state.sent = true;
      return undefined;
    case 'expect':
      conv.phase = state.sent ? 'response' : 'greeting';
      return expectLine(conv, step.expect);
    case 'expectHex': {
      conv.phase = state.sent ? 'response' : 'greeting';
      const want = step.bytes;
      const got = await conv.bytes(want.length, `${want.length} bytes`);
      if (!got.equals(want))
        throw new ProbeFailure('protocol', conv.phase, `got ${got.toString('hex')} "${printable(got)}"`);
      return `0x${got.toString('hex')}`;
    }
    case 'starttls':
      conv.phase = 'tls';
      await ctx.upgrade();
      state.sent = false;
      return undefined;
  }
}

export const dialogue: ServiceCheck = {
  id: 'dialogue',
  name: 'Dialogue',
  talk: async (conv, ctx) => {
    const steps = parseSteps(ctx.settings);
    const state = { sent: false };
    let last: string | undefined;
    for (const [i, step] of steps.entries()) {
      try {
        last = (await run(conv, ctx, step, state)) ?? last;
      } catch (e) {
        if (!(e instanceof ProbeFailure)) throw e;
        // Name the step that failed, keeping the outcome, phase and any certificate.
        const named = new ProbeFailure(e.outcome, e.phase, `step ${i + 1} (${describe(step)}): ${e.detail}`);
        if (e.tls) named.tls = e.tls;
        throw named;
      }
    }
    const n = steps.length;
    const tail = last === undefined ? '' : `, last reply "${printable(last, 60)}"`;
    return { detail: `${n} step${n === 1 ? '' : 's'} passed${tail}`, facts: { steps: String(n) } };
  },
};
