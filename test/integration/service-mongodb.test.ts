import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { decodeBson, type BsonDocument } from '../../main/core/probes/protocols/bson';
import { OP_MSG, opMsg } from '../../main/core/probes/protocols/mongodb';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

/**
 * A STAND-IN FOR MONGODB, which Debian does not package and this machine cannot install: a
 * loopback server that reads one OP_MSG and answers it as mongod does (the reply's header
 * answers the request's id; the document is shaped like the `hello` output documented at
 * mongodb.com/docs/manual/reference/command/hello/). The byte layouts themselves are checked
 * against the specifications in test/unit/mongodb-wire.test.ts.
 */
async function standIn(answer: (request: BsonDocument, requestId: number) => Buffer) {
  const requests: BsonDocument[] = [];
  const server = await listen((s: Socket) => {
    let got = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length < 4 || got.length < got.readInt32LE(0)) return;
      if (got.readInt32LE(12) !== OP_MSG || got[20] !== 0) return void s.destroy();
      const request = decodeBson(got, 21);
      requests.push(request);
      s.write(answer(request, got.readInt32LE(4)));
    });
  });
  return { ...server, requests };
}

const standalone: BsonDocument = {
  isWritablePrimary: true,
  topologyVersion: { counter: 0n },
  maxBsonObjectSize: 16777216,
  maxMessageSizeBytes: 48000000,
  maxWriteBatchSize: 100000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: 12,
  minWireVersion: 0,
  maxWireVersion: 21,
  readOnly: false,
  ok: 1,
};

describe('MongoDB check against a stand-in server (MongoDB is not in Debian)', () => {
  it('hello on admin gets ok: 1, with the role and wire versions', async () => {
    const mongod = await standIn((_, id) => opMsg(900, id, standalone));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: mongod.port },
        { check: 'mongodb' },
        2000,
      );
      expect(result.outcome).toBe('ok');
      expect(result.detail).toBe('MongoDB hello: ok: standalone, wire version 21');
      expect(result.facts).toEqual({ role: 'standalone', minWireVersion: '0', maxWireVersion: '21' });
      expect(mongod.requests).toEqual([{ hello: 1, $db: 'admin' }]);
    } finally {
      await mongod.close();
    }
  });

  it('a replica set member says which set and whether it is the primary', async () => {
    const secondary = { ...standalone, isWritablePrimary: false, secondary: true, setName: 'rs0' };
    const mongod = await standIn((_, id) => opMsg(901, id, secondary));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: mongod.port },
        { check: 'mongodb' },
        2000,
      );
      expect(result.outcome).toBe('ok');
      expect(result.detail).toBe('MongoDB hello: ok: secondary, replica set rs0, wire version 21');
      expect(result.facts).toMatchObject({ role: 'secondary', replicaSet: 'rs0' });
    } finally {
      await mongod.close();
    }
  });

  it('ok: 0 (a server too old to know hello) is still MongoDB answering', async () => {
    const old = { ok: 0, errmsg: "no such command: 'hello'", code: 59, codeName: 'CommandNotFound' };
    const mongod = await standIn((_, id) => opMsg(902, id, old));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: mongod.port },
        { check: 'mongodb' },
        2000,
      );
      expect(result.outcome).toBe('ok');
      expect(result.detail).toBe("MongoDB hello: alive, hello failed: no such command: 'hello' (CommandNotFound)");
    } finally {
      await mongod.close();
    }
  });

  it('a reply to some other request is a protocol failure', async () => {
    const mongod = await standIn((_, id) => opMsg(903, id + 1, standalone));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: mongod.port },
        { check: 'mongodb' },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toMatch(/^expected an OP_MSG reply to hello from MongoDB \(answering its request\), got "/);
    } finally {
      await mongod.close();
    }
  });

  it('a reply whose document does not parse is a protocol failure saying why', async () => {
    const mongod = await standIn((_, id) => {
      const reply = opMsg(904, id, standalone);
      reply.writeInt32LE(5000, 21); // the document claims more bytes than the message has
      return reply;
    });
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: mongod.port },
        { check: 'mongodb' },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toMatch(
        /^expected an OP_MSG reply to hello from MongoDB \(the BSON document size does not fit\), got "/,
      );
    } finally {
      await mongod.close();
    }
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian\r\n\u0001\u0002'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: ssh.port }, { check: 'mongodb' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe(
        'expected an OP_MSG reply to hello from MongoDB, got "SSH-2.0-OpenSSH_9.2p1 Debian\\r\\n\\x01\\x02"',
      );
    } finally {
      await ssh.close();
    }
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: silent.port },
        { check: 'mongodb' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('waited for an OP_MSG reply to hello from MongoDB until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });
});
