import { ProbeFailure } from '../failure';
import { MAX_REPLY_BYTES, printable } from './conversation';
import type { ServiceCheck } from './types';

const WANTED = 'a MySQL greeting';

/** CLIENT_SSL in the greeting's capability flags: the server accepts a TLS upgrade. */
const CLIENT_SSL = 0x0800;
const CLIENT_PROTOCOL_41 = 0x0200;
const CLIENT_SECURE_CONNECTION = 0x8000;

/**
 * SSLRequest, the client's answer to the greeting when it wants TLS (the next sequence number):
 * capability flags, maximum packet size, character set (utf8), 23 reserved zero bytes.
 */
function sslRequest(sequence: number): Buffer {
  const packet = Buffer.alloc(4 + 32);
  packet.writeUIntLE(32, 0, 3);
  packet[3] = sequence & 0xff;
  packet.writeUInt32LE(CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION, 4);
  packet.writeUInt32LE(16 * 1024 * 1024, 8);
  packet[12] = 33;
  return packet;
}

/**
 * The length of one packet (3-byte little-endian length, 1-byte sequence, payload). A header
 * no greeting could have (text from another service) is taken as it arrived, to be quoted.
 */
function packetLength(b: Buffer): number | undefined {
  if (b.length < 4) return undefined;
  const len = b.readUIntLE(0, 3);
  if (len === 0 || len > MAX_REPLY_BYTES) return b.length;
  return b.length >= 4 + len ? 4 + len : undefined;
}

/** A NUL-terminated string at `at`, and where the next field starts; undefined without a NUL. */
function cstring(b: Buffer, at: number): { text: string; next: number } | undefined {
  const end = b.indexOf(0, at);
  return end === -1 ? undefined : { text: b.toString('utf8', at, end), next: end + 1 };
}

/** MariaDB 10 prefixes its version with "5.5.5-" for old replication clients; the real one follows. */
const realVersion = (v: string): string => (v.startsWith('5.5.5-') && /mariadb/i.test(v) ? v.slice(6) : v);

/** The initial handshake (protocol 10): version, and what it says about TLS and authentication. */
function greetingFacts(payload: Buffer): Record<string, string> | undefined {
  const version = cstring(payload, 1);
  if (!version || version.text === '') return undefined;
  const facts: Record<string, string> = { version: realVersion(version.text) };
  // connection id (4), scramble part 1 (8), filler (1), capability flags, lower half (2)
  const caps = version.next + 13;
  if (payload.length >= caps + 2)
    facts.tls = (payload.readUInt16LE(caps) & CLIENT_SSL) !== 0 ? 'offered' : 'not offered';
  // charset (1), status (2), upper capabilities (2), scramble length (1), reserved (10), scramble part 2
  const scramble = caps + 18;
  const scrambleLength = payload[caps + 7] ?? 0;
  const plugin = cstring(payload, scramble + Math.max(13, scrambleLength - 8));
  if (plugin && /^[\w-]+$/.test(plugin.text)) facts.authPlugin = plugin.text;
  return facts;
}

/** An ERR packet: code, SQL state when the server sent one, and the message. */
function errorWords(payload: Buffer): string {
  const code = payload.length >= 3 ? payload.readUInt16LE(1) : 0;
  const marked = payload[3] === 0x23 && payload.length >= 9;
  const state = marked ? ` (${payload.toString('latin1', 4, 9)})` : '';
  const message = payload.subarray(marked ? 9 : 3).toString('utf8');
  return `error ${code}${state}: "${printable(message, 120)}"`;
}

/**
 * Reads the greeting MySQL and MariaDB send first (no credentials): the server version, whether
 * it offers TLS, and its default authentication plugin. An error instead of the greeting ("Too
 * many connections", "Host … is not allowed") is a protocol failure with the server's words.
 * With starttls the connection is upgraded (SSLRequest) so the certificate is judged; asked for
 * TLS, a server that does not offer it fails. facts.tls: "not offered", "offered", or the TLS
 * version negotiated.
 */
export const mysql: ServiceCheck = {
  id: 'mysql',
  name: 'MySQL greeting',
  talk: async (conv, ctx) => {
    const packet = await conv.read(packetLength, WANTED);
    const payload = packet.subarray(4);
    const whole = packet.length >= 4 && packet.readUIntLE(0, 3) === payload.length;
    if (whole && payload[0] === 0xff)
      throw new ProbeFailure('protocol', 'greeting', `MySQL refused the connection: ${errorWords(payload)}`);
    const facts = whole && payload[0] === 0x0a ? greetingFacts(payload) : undefined;
    if (!facts)
      throw new ProbeFailure('protocol', 'greeting', `expected ${WANTED} (protocol 10), got "${printable(packet)}"`);
    if (!ctx.starttls) return { detail: `server ${facts.version}`, facts };
    if (facts.tls !== 'offered')
      throw new ProbeFailure('tls', 'tls', 'MySQL does not offer TLS (its greeting lacks CLIENT_SSL)');
    conv.phase = 'request';
    conv.send(sslRequest((packet[3] ?? 0) + 1));
    const cert = await ctx.upgrade();
    return { detail: `server ${facts.version}, TLS (${cert.protocol})`, facts: { ...facts, tls: cert.protocol } };
  },
};
