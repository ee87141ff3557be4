import { randomInt } from 'node:crypto';
import { ProbeFailure } from '../failure';
import { BsonError, decodeBson, encodeBson, type BsonDocument } from './bson';
import { MAX_REPLY_BYTES, printable } from './conversation';
import type { ServiceCheck } from './types';

/** OP_MSG, the opcode of every command since MongoDB 3.6 (wire protocol, "OP_MSG"). */
export const OP_MSG = 2013;

const WANTED = 'an OP_MSG reply to hello from MongoDB';

/**
 * An OP_MSG: the standard header (messageLength, requestID, responseTo, opCode; int32 little
 * endian), flagBits 0, and one section of kind 0 holding the command document.
 */
export function opMsg(requestId: number, responseTo: number, doc: BsonDocument): Buffer {
  const body = encodeBson(doc);
  const head = Buffer.alloc(21);
  head.writeInt32LE(head.length + body.length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(OP_MSG, 12);
  head.writeUInt32LE(0, 16);
  head[20] = 0;
  return Buffer.concat([head, body]);
}

/** The length of one message by its header; a header no reply could have is taken as it came. */
function messageLength(b: Buffer): number | undefined {
  if (b.length < 4) return undefined;
  const len = b.readInt32LE(0);
  if (len < 21 || len > MAX_REPLY_BYTES) return b.length;
  return b.length >= len ? len : undefined;
}

/** What a hello reply says about the node's place: primary, secondary, mongos, arbiter. */
function role(doc: BsonDocument): string | undefined {
  if (doc.msg === 'isdbgrid') return 'mongos';
  if (doc.isWritablePrimary === true || doc.ismaster === true) return doc.setName ? 'primary' : 'standalone';
  if (doc.secondary === true) return 'secondary';
  if (doc.arbiterOnly === true) return 'arbiter';
  return undefined;
}

/**
 * Sends `hello` (an OP_MSG on the admin database; needs no credentials) and reads the reply:
 * `ok: 1` with the node's role, replica set and wire version range. `ok: 0` (a server too old
 * to know hello) is still MongoDB answering.
 */
export const mongodb: ServiceCheck = {
  id: 'mongodb',
  name: 'MongoDB hello',
  talk: async (conv) => {
    conv.phase = 'response';
    const requestId = randomInt(1, 2 ** 31 - 1);
    conv.send(opMsg(requestId, 0, { hello: 1, $db: 'admin' }));
    const reply = await conv.read(messageLength, WANTED);
    const mismatch = (why = ''): ProbeFailure =>
      new ProbeFailure('protocol', 'response', `expected ${WANTED}${why}, got "${printable(reply)}"`);
    if (reply.length < 21 || reply.readInt32LE(0) !== reply.length || reply.readInt32LE(12) !== OP_MSG)
      throw mismatch();
    if (reply.readInt32LE(8) !== requestId) throw mismatch(' (answering its request)');
    if (reply[20] !== 0) throw mismatch(' (a body section)');
    let doc: BsonDocument;
    try {
      doc = decodeBson(reply, 21);
    } catch (e) {
      if (e instanceof BsonError) throw mismatch(` (${e.message})`);
      throw e;
    }
    if (doc.ok === undefined) throw mismatch(' (with "ok")');
    if (Number(doc.ok) !== 1) {
      const words = typeof doc.errmsg === 'string' ? doc.errmsg : 'no message';
      const name = typeof doc.codeName === 'string' ? ` (${doc.codeName})` : '';
      return { detail: `alive, hello failed: ${printable(words, 80)}${name}` };
    }
    const facts: Record<string, string> = {};
    const place = role(doc);
    if (place) facts.role = place;
    if (typeof doc.setName === 'string') facts.replicaSet = doc.setName;
    for (const key of ['minWireVersion', 'maxWireVersion'] as const)
      if (typeof doc[key] === 'number' || typeof doc[key] === 'bigint') facts[key] = String(doc[key]);
    const parts = [place, facts.replicaSet && `replica set ${facts.replicaSet}`].filter(Boolean);
    const wire = facts.maxWireVersion ? `wire version ${facts.maxWireVersion}` : '';
    return { detail: ['ok', [...parts, wire].filter(Boolean).join(', ')].filter(Boolean).join(': '), facts };
  },
};
