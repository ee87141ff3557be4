import { ProbeFailure } from '../failure';
import { MAX_REPLY_BYTES, printable, type Conversation } from './conversation';

/** A reply of the SMTP and FTP kind: a three-digit code, then text, on one line or several. */
export interface NumericReply {
  code: number;
  /** Each line without its code and separator. */
  lines: string[];
  /** The first line as sent, for quoting. */
  first: string;
}

/**
 * Reads one reply: `ddd text`, or `ddd-text` lines closed by a line starting `ddd ` (or just
 * `ddd`). SMTP (RFC 5321 4.2.1) puts the code on every line; FTP (RFC 959 4.2) lets the lines
 * between be any text, so `strict` decides whether such a line is a mismatch. A reply of many
 * lines is bounded like any other read: by the deadline and MAX_REPLY_BYTES in all.
 */
export async function readReply(conv: Conversation, what: string, strict: boolean): Promise<NumericReply> {
  const first = await conv.line(what);
  const m = /^([1-5]\d\d)([ -]|$)(.*)$/.exec(first);
  if (!m) throw new ProbeFailure('protocol', conv.phase, `expected ${what}, got "${printable(first)}"`);
  const [, digits = '', sep, text = ''] = m;
  const lines = [text];
  let size = first.length;
  let last = sep !== '-';
  while (!last) {
    const line = await conv.line(what);
    size += line.length + 2;
    if (size > MAX_REPLY_BYTES)
      throw new ProbeFailure(
        'protocol',
        conv.phase,
        `expected ${what}, got more than ${MAX_REPLY_BYTES} bytes: "${printable(first)}", …`,
      );
    const c = /^(\d\d\d)([ -]|$)(.*)$/.exec(line);
    if (c?.[1] === digits) {
      lines.push(c[3] ?? '');
      last = c[2] !== '-';
    } else if (strict) {
      throw new ProbeFailure(
        'protocol',
        conv.phase,
        `expected ${what}, got "${printable(first)}" and then "${printable(line)}"`,
      );
    } else lines.push(line);
  }
  return { code: Number(digits), lines, first };
}

/** The reply's first line, quoted safely for a detail. */
export const quoteReply = (reply: NumericReply): string => `"${printable(reply.first)}"`;
