import { ProbeFailure } from '../failure';
import { MAX_REPLY_BYTES, printable } from './conversation';
import type { ServiceCheck } from './types';

/** SSLRequest: length 8, then the request code 1234 5679 (80877103), as the frontend sends it. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

const WANTED = 'an answer to SSLRequest ("S" or "N")';

/**
 * The length of the server's answer: one byte "S" or "N", or an error message "E". Anything
 * else is taken as it arrived, to be quoted. An "E" is framed (protocol 3: a length, then
 * fields) or, from very old servers, text up to a NUL.
 */
function answerLength(b: Buffer): number | undefined {
  if (b[0] !== 0x45) return b.length;
  if (b.length < 5) return undefined;
  const len = b.readUInt32BE(1);
  if (len < 4 || len > MAX_REPLY_BYTES) {
    const end = b.indexOf(0, 1);
    return end === -1 ? undefined : end + 1;
  }
  return b.length >= 1 + len ? 1 + len : undefined;
}

/** The words of an ErrorResponse: severity, SQLSTATE code and message fields, or its text. */
function errorWords(packet: Buffer): string {
  const len = packet.length >= 5 ? packet.readUInt32BE(1) : 0;
  if (len < 4 || len > MAX_REPLY_BYTES) return packet.subarray(1).toString('latin1').replace(/\0$/, '');
  const fields: Record<string, string> = {};
  let at = 5;
  while (at < packet.length && packet[at] !== 0) {
    const end = packet.indexOf(0, at + 1);
    if (end === -1) break;
    fields[String.fromCharCode(packet[at] ?? 0)] = packet.toString('utf8', at + 1, end);
    at = end + 1;
  }
  return [fields.S, fields.C, fields.M].filter((f) => f !== undefined).join(' ');
}

/**
 * SSLRequest -> "S" (TLS offered) or "N" (not offered): PostgreSQL answers it before any
 * credentials. On "S" the connection is upgraded so the certificate is reported; with starttls it
 * is also judged, and a server that does not offer TLS fails. facts.tls: "not offered", "offered", or the TLS
 * version negotiated.
 */
export const postgres: ServiceCheck = {
  id: 'postgres',
  name: 'PostgreSQL SSLRequest',
  talk: async (conv, ctx) => {
    conv.phase = 'response';
    conv.send(SSL_REQUEST);
    const answer = await conv.read(answerLength, WANTED);
    const only = answer.length === 1 ? answer.toString('latin1') : '';
    if (only === 'N') {
      if (ctx.starttls)
        throw new ProbeFailure('tls', 'tls', 'PostgreSQL does not offer TLS (it answered "N" to SSLRequest)');
      return { detail: 'alive, TLS not offered', facts: { tls: 'not offered' } };
    }
    if (only === 'S') {
      // Always shake hands, so the certificate's facts and expiry are known; refuse an untrusted
      // one only when TLS was asked for (many databases run on a private CA or self-signed).
      const cert = await ctx.upgrade({ strict: ctx.starttls });
      return { detail: `alive, TLS (${cert.protocol})`, facts: { tls: cert.protocol } };
    }
    if (answer[0] === 0x45)
      throw new ProbeFailure(
        'protocol',
        'response',
        `expected ${WANTED} from PostgreSQL, got an error: "${printable(errorWords(answer), 120)}"`,
      );
    throw new ProbeFailure('protocol', 'response', `expected ${WANTED} from PostgreSQL, got "${printable(answer)}"`);
  },
};
