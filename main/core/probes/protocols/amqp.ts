import { ProbeFailure } from '../failure';
import { MAX_REPLY_BYTES, printable } from './conversation';
import type { ServiceCheck } from './types';

/** The protocol header a client opens AMQP 0-9-1 with. */
const HEADER = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1');

const WANTED = 'Connection.Start from AMQP 0-9-1';

const FRAME_METHOD = 1;
const FRAME_END = 0xce;

/**
 * The length of the server's answer: its own protocol header (8 bytes, "AMQP" and a version it
 * prefers), or one frame (type, channel, size, payload, frame-end). Anything else is taken as it
 * arrived, to be quoted.
 */
function answerLength(b: Buffer): number | undefined {
  if (b[0] === 0x41) {
    if (b.length < 8) return undefined;
    return b.toString('latin1', 0, 4) === 'AMQP' ? 8 : b.length;
  }
  if (b[0] !== FRAME_METHOD) return b.length;
  if (b.length < 7) return undefined;
  const size = b.readUInt32BE(3);
  if (size > MAX_REPLY_BYTES) return b.length;
  return b.length >= 8 + size ? 8 + size : undefined;
}

/** Names the version in a protocol header: "AMQP 1.0.0" (id 0, 2 TLS, 3 SASL) or "AMQP 0-9" (1 1 major minor). */
function versionOffered(h: Buffer): string {
  const [id = 0, major = 0, minor = 0, revision = 0] = h.subarray(4, 8);
  if (id === 0 && major === 0 && minor === 9 && revision === 1) return 'AMQP 0-9-1';
  if (id === 1 && major === 1) return minor === 8 ? 'AMQP 0-8' : `AMQP 0-${revision}`;
  const layer = id === 3 ? ' (SASL)' : id === 2 ? ' (TLS)' : '';
  return `AMQP ${major}.${minor}.${revision}${layer}`;
}

/** Bytes of a field value after its type letter; for the length-prefixed ones, undefined. */
const FIXED: Record<string, number> = { t: 1, b: 1, B: 1, s: 2, u: 2, I: 4, i: 4, l: 8, f: 4, d: 8, D: 5, T: 8, V: 0 };
const PREFIXED = new Set(['S', 'x', 'A', 'F']);

/**
 * The string fields of a field table (server-properties): a 4-byte size, then entries of a
 * short name, a type letter and a value. Other values are skipped; an unknown type ends the
 * reading with what was found. Returns the fields and where the table ends.
 */
function tableStrings(b: Buffer, start: number): { fields: Record<string, string>; next: number } | undefined {
  if (b.length < start + 4) return undefined;
  const next = start + 4 + b.readUInt32BE(start);
  if (next > b.length) return undefined;
  const fields: Record<string, string> = {};
  let at = start + 4;
  while (at < next) {
    const nameLength = b[at] ?? 0;
    const name = b.toString('utf8', at + 1, at + 1 + nameLength);
    const type = String.fromCharCode(b[at + 1 + nameLength] ?? 0);
    at += 2 + nameLength;
    const fixed = FIXED[type];
    if (fixed !== undefined) {
      at += fixed;
    } else if (PREFIXED.has(type) && at + 4 <= next) {
      const size = b.readUInt32BE(at);
      if (type === 'S' && at + 4 + size <= next) fields[name] = b.toString('utf8', at + 4, at + 4 + size);
      at += 4 + size;
    } else break;
  }
  return { fields, next };
}

/** A long string (4-byte size, then bytes) at `at`. */
function longString(b: Buffer, at: number): { text: string; next: number } | undefined {
  if (b.length < at + 4) return undefined;
  const next = at + 4 + b.readUInt32BE(at);
  return next > b.length ? undefined : { text: b.toString('utf8', at + 4, next), next };
}

/**
 * Sends the AMQP 0-9-1 protocol header and reads Connection.Start (no credentials): the broker
 * names its product and version and the login mechanisms it accepts. A broker that prefers
 * another version answers with its own header instead: a protocol mismatch naming it.
 */
export const amqp: ServiceCheck = {
  id: 'amqp',
  name: 'AMQP Connection.Start',
  talk: async (conv) => {
    conv.phase = 'response';
    conv.send(HEADER);
    const frame = await conv.read(answerLength, WANTED);
    if (frame.length === 8 && frame.toString('latin1', 0, 4) === 'AMQP')
      throw new ProbeFailure(
        'protocol',
        'response',
        `expected ${WANTED}, got a protocol header offering ${versionOffered(frame)} instead ("${printable(frame)}")`,
      );
    const mismatch = (): ProbeFailure =>
      new ProbeFailure('protocol', 'response', `expected ${WANTED}, got "${printable(frame)}"`);
    // type 1 (method), channel 0, size, class 10 (connection), method 10 (start), major, minor
    if (
      frame.length < 13 ||
      frame[0] !== FRAME_METHOD ||
      frame.readUInt16BE(1) !== 0 ||
      frame[frame.length - 1] !== FRAME_END ||
      frame.readUInt16BE(7) !== 10 ||
      frame.readUInt16BE(9) !== 10
    )
      throw mismatch();
    const body = frame.subarray(0, frame.length - 1);
    const properties = tableStrings(body, 13);
    if (!properties) throw mismatch();
    const facts: Record<string, string> = {};
    for (const key of ['product', 'version', 'platform', 'cluster_name'] as const) {
      const value = properties.fields[key];
      if (value !== undefined) facts[key === 'cluster_name' ? 'cluster' : key] = value;
    }
    const mechanisms = longString(body, properties.next);
    if (mechanisms) facts.mechanisms = mechanisms.text;
    const name = [facts.product, facts.version].filter(Boolean).join(' ');
    return {
      detail: name ? `${name} (AMQP 0-9-1)` : `Connection.Start, AMQP ${frame[11] ?? 0}-${frame[12] ?? 0}`,
      facts,
    };
  },
};
