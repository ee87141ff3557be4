import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { ProbeFailure, abortFailure, errorCode, socketFailure } from '../failure';
import { printable, type Conversation } from './conversation';
import type { DialogueContext, DialogueOutcome, ServiceCheck } from './types';

// A DNS query (RFC 1035) for a configured name and type, sent to the server being checked.
//
// settings: { name?: string, type?: 'A'|'AAAA'|'MX'|'TXT'|'NS'|'SOA'|'CNAME' (default 'A'),
//             transport?: 'udp'|'tcp' (default 'udp'), expectRcode?: 'NOERROR'|'NXDOMAIN'|… }
//
// - With a name: NOERROR with at least one answer is ok; NOERROR without answers (no record of
//   that type), NXDOMAIN, SERVFAIL, REFUSED, … are a `protocol` failure naming the rcode. With
//   expectRcode, exactly that rcode is ok (answers or not) and any other is a failure.
// - Without a name (as `portwatch check --service dns`, which has no settings, runs it): asks
//   the classic `version.bind` TXT in class CHAOS; any well-formed reply proves a DNS server
//   answers, whatever its rcode (many refuse that question), unless expectRcode says otherwise.
// - tcp: over the probe's connection, with the 2-byte length prefix (RFC 1035 4.2.2).
// - udp: the service probe has already connected over TCP to the same port before the check
//   runs, so a server must accept TCP on the port too (DNS servers should, RFC 7766; dnsmasq,
//   BIND, Unbound and CoreDNS do). That connection is closed and the query goes in a UDP
//   datagram to the address it reached, resent every second until the check's deadline.
//   A truncated (TC) reply is judged on its header, with the fact truncated: "yes".

const TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28 } as const;
type RecordType = keyof typeof TYPES;
const RCODES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
] as const;
const CLASS_IN = 1;
const CLASS_CH = 3;
const RESEND_MS = 1000;

const Settings = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  type: z.enum(Object.keys(TYPES) as [RecordType, ...RecordType[]]).optional(),
  transport: z.enum(['udp', 'tcp']).optional(),
  expectRcode: z.enum(RCODES).optional(),
});
type DnsSettings = z.infer<typeof Settings>;

const badSettings = (why: string): ProbeFailure => new ProbeFailure('error', 'greeting', `dns settings: ${why}`);

function parseSettings(raw: Record<string, unknown>): DnsSettings {
  const parsed = Settings.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `"${issue.path.join('.')}" ` : '';
    throw badSettings(`${where}${issue?.message ?? 'not valid'}`);
  }
  if (parsed.data.type && parsed.data.name === undefined) throw badSettings('"type" needs a "name" to ask for');
  return parsed.data;
}

/** The name in wire format: length-prefixed labels, IDNs as punycode. */
function encodeName(name: string): Buffer {
  const trimmed = name.endsWith('.') && name !== '.' ? name.slice(0, -1) : name;
  if (trimmed === '.') return Buffer.from([0]);
  const ascii = /^[\x21-\x7e]+$/.test(trimmed) ? trimmed : domainToASCII(trimmed);
  const labels = ascii ? ascii.split('.') : [];
  if (!labels.length || labels.some((l) => l.length === 0 || l.length > 63))
    throw badSettings(`"name" is not a domain name: "${printable(name, 60)}"`);
  const wire = Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])),
    Buffer.from([0]),
  ]);
  if (wire.length > 255) throw badSettings(`"name" is longer than 255 bytes: "${printable(name, 60)}"`);
  return wire;
}

export function buildQuery(id: number, name: string, qtype: number, qclass: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // a standard query, recursion desired
  header.writeUInt16BE(1, 4); // one question
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(qtype, 0);
  tail.writeUInt16BE(qclass, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

class Malformed extends Error {}

/** Reads a (possibly compressed) name at `at`; returns it and where the record continues. */
function readName(msg: Buffer, at: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = at;
  let next: number | undefined;
  for (let jumps = 0; ;) {
    const len = msg[pos];
    if (len === undefined) throw new Malformed('a name runs past the end');
    if (len === 0) {
      next ??= pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      const low = msg[pos + 1];
      if (low === undefined || ++jumps > 64) throw new Malformed('a bad name pointer');
      next ??= pos + 2;
      pos = ((len & 0x3f) << 8) | low;
      continue;
    }
    if (len > 63 || pos + 1 + len > msg.length) throw new Malformed('a bad label');
    labels.push(msg.toString('latin1', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { name: labels.length ? `${labels.join('.')}.` : '.', next };
}

function ipv6Text(b: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  // The longest run of two or more zero groups becomes "::" (RFC 5952).
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [v, k]));

/** One answer's data as text: an address, a name, "10 mx.example.", a TXT string. */
function rdataText(msg: Buffer, type: number, at: number, len: number): string {
  const rd = msg.subarray(at, at + len);
  switch (type) {
    case TYPES.A:
      if (len !== 4) throw new Malformed('an A record that is not 4 bytes');
      return Array.from(rd).join('.');
    case TYPES.AAAA:
      if (len !== 16) throw new Malformed('an AAAA record that is not 16 bytes');
      return ipv6Text(rd);
    case TYPES.NS:
    case TYPES.CNAME:
      return readName(msg, at).name;
    case TYPES.MX:
      if (len < 3) throw new Malformed('a short MX record');
      return `${rd.readUInt16BE(0)} ${readName(msg, at + 2).name}`;
    case TYPES.SOA: {
      const mname = readName(msg, at);
      const rname = readName(msg, mname.next);
      const serial = msg.readUInt32BE(rname.next);
      return `${mname.name} ${rname.name} ${serial}`;
    }
    case TYPES.TXT: {
      const parts: string[] = [];
      for (let p = 0; p < rd.length;) {
        const n = rd[p] ?? 0;
        parts.push(rd.toString('utf8', p + 1, p + 1 + n));
        p += 1 + n;
      }
      return printable(parts.join(''), 80);
    }
    default:
      return `${TYPE_NAMES[type] ?? `TYPE${type}`} (${len} bytes)`;
  }
}

export interface DnsReply {
  rcode: string;
  answers: number;
  truncated: boolean;
  /** The first answer, as text; prefixed with its type when that is not the type asked for. */
  first?: string;
}

/** Parses the header and the first answer of a reply to query `id`; throws Malformed. */
export function parseReply(msg: Buffer, id: number, qtype: number): DnsReply {
  if (msg.length < 12) throw new Malformed(`only ${msg.length} bytes`);
  if (msg.readUInt16BE(0) !== id) throw new Malformed('the reply is to another query (ID mismatch)');
  const flags = msg.readUInt16BE(2);
  if (!(flags & 0x8000)) throw new Malformed('a query, not a reply');
  const code = flags & 0x0f;
  const reply: DnsReply = {
    rcode: RCODES[code] ?? `RCODE${code}`,
    answers: msg.readUInt16BE(6),
    truncated: (flags & 0x0200) !== 0,
  };
  if (reply.answers === 0 || reply.truncated) return reply;
  let pos = 12;
  for (let q = msg.readUInt16BE(4); q > 0; q--) pos = readName(msg, pos).next + 4;
  pos = readName(msg, pos).next;
  if (pos + 10 > msg.length) throw new Malformed('an answer runs past the end');
  const type = msg.readUInt16BE(pos);
  const len = msg.readUInt16BE(pos + 8);
  if (pos + 10 + len > msg.length) throw new Malformed('an answer runs past the end');
  let text: string;
  try {
    text = rdataText(msg, type, pos + 10, len);
  } catch (e) {
    if (e instanceof RangeError) throw new Malformed(`a short ${TYPE_NAMES[type] ?? 'unknown'} record`);
    throw e;
  }
  reply.first = type === qtype ? text : `${TYPE_NAMES[type] ?? `TYPE${type}`} ${text}`;
  return reply;
}

const malformed = (e: unknown, got: Buffer): ProbeFailure =>
  new ProbeFailure(
    'protocol',
    'response',
    `expected a DNS reply, got ${e instanceof Error ? e.message : String(e)}: "${printable(got)}"`,
  );

/** Over TCP: the query and the reply each carry a 2-byte length prefix. */
async function overTcp(conv: Conversation, query: Buffer, id: number, qtype: number): Promise<DnsReply> {
  conv.phase = 'request';
  const len = Buffer.alloc(2);
  len.writeUInt16BE(query.length, 0);
  conv.send(Buffer.concat([len, query]));
  conv.phase = 'response';
  const prefix = await conv.bytes(2, 'a DNS reply over TCP');
  const body = await conv.bytes(prefix.readUInt16BE(0), 'a DNS reply over TCP');
  try {
    return parseReply(body, id, qtype);
  } catch (e) {
    if (e instanceof Malformed) throw malformed(e, Buffer.concat([prefix, body]));
    throw e;
  }
}

/** Over UDP to the address the probe reached, resent every second, bounded by the deadline. */
async function overUdp(
  conv: Conversation,
  ctx: DialogueContext,
  query: Buffer,
  id: number,
  qtype: number,
): Promise<DnsReply> {
  const address = conv.socket.remoteAddress ?? ctx.host;
  conv.close();
  const signal = ctx.signal;
  const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<DnsReply>((resolve, reject) => {
      const onAbort = (): void => {
        const base = abortFailure(signal, 'response');
        reject(
          base.outcome === 'timeout'
            ? new ProbeFailure(
                'timeout',
                'response',
                `waited for a DNS reply over UDP until the deadline (${sent} ${sent === 1 ? 'query' : 'queries'} sent)`,
              )
            : base,
        );
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('close', () => signal.removeEventListener('abort', onAbort));
      socket.on('error', (err) =>
        reject(
          errorCode(err) === 'ECONNREFUSED'
            ? new ProbeFailure('refused', 'response', `nothing answers on UDP port ${ctx.port} (port unreachable)`)
            : socketFailure(err, 'response'),
        ),
      );
      socket.on('message', (msg) => {
        // Stray datagrams (late replies to an earlier probe) are not ours: keep waiting.
        if (msg.length >= 2 && msg.readUInt16BE(0) !== id) return;
        try {
          resolve(parseReply(msg, id, qtype));
        } catch (e) {
          reject(e instanceof Malformed ? malformed(e, msg) : e);
        }
      });
      const send = (): void => {
        socket.send(query, (err) => {
          if (err) reject(socketFailure(err, 'request'));
        });
        sent++;
        timer = setTimeout(send, RESEND_MS);
      };
      socket.connect(ctx.port, address, () => send());
    });
  } finally {
    clearTimeout(timer);
    try {
      socket.close();
    } catch {
      // already closed by an error
    }
  }
}

export const dns: ServiceCheck = {
  id: 'dns',
  name: 'DNS query',
  talk: async (conv, ctx): Promise<DialogueOutcome> => {
    const s = parseSettings(ctx.settings);
    const transport = s.transport ?? 'udp';
    const type = s.type ?? 'A';
    const [name, qtype, qclass] =
      s.name === undefined ? ['version.bind', TYPES.TXT, CLASS_CH] : [s.name, TYPES[type], CLASS_IN];
    const id = randomInt(0, 0x10000);
    const query = buildQuery(id, name, qtype, qclass);
    const reply =
      transport === 'tcp' ? await overTcp(conv, query, id, qtype) : await overUdp(conv, ctx, query, id, qtype);
    const facts: Record<string, string> = { rcode: reply.rcode, answers: String(reply.answers), transport };
    if (reply.first !== undefined) facts.first = reply.first;
    if (reply.truncated) facts.truncated = 'yes';
    const asked = s.name === undefined ? 'version.bind CH TXT' : `${name} ${type}`;
    const count = `${reply.answers} answer${reply.answers === 1 ? '' : 's'}`;
    const said = `${reply.rcode}, ${count}${reply.first !== undefined ? `, first ${reply.first}` : ''}`;
    const ok = (): DialogueOutcome => ({ detail: `${asked} over ${transport}: ${said}`, facts });
    if (s.expectRcode !== undefined) {
      if (reply.rcode === s.expectRcode) return ok();
      throw new ProbeFailure(
        'protocol',
        'response',
        `${asked} over ${transport}: expected ${s.expectRcode}, got ${said}`,
      );
    }
    if (s.name === undefined) return { detail: `alive, ${asked} over ${transport}: ${said}`, facts };
    if (reply.rcode === 'NOERROR' && reply.answers > 0) return ok();
    const why = reply.rcode === 'NOERROR' ? `no ${type} record (NOERROR, 0 answers)` : reply.rcode;
    throw new ProbeFailure('protocol', 'response', `${asked} over ${transport}: ${why}`);
  },
};
