// The bytes here are written out by hand from the public specifications, not produced by the
// code under test: BSON from bsonspec.org (the two examples of its FAQ, and the element types
// of the 1.1 spec), OP_MSG from the MongoDB wire protocol reference
// (mongodb.com/docs/manual/reference/mongodb-wire-protocol/: MsgHeader, flagBits, kind-0 section).
import { describe, expect, it } from 'vitest';
import { BsonError, decodeBson, encodeBson } from '../../main/core/probes/protocols/bson';
import { OP_MSG, opMsg } from '../../main/core/probes/protocols/mongodb';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};
/** A document from hand-written elements: size, elements, NUL. */
const doc = (...elements: Buffer[]): Buffer => {
  const body = Buffer.concat(elements);
  return Buffer.concat([int32(body.length + 5), body, Buffer.from([0])]);
};

describe('BSON, against bsonspec.org', () => {
  it('{"hello": "world"} (the FAQ example)', () => {
    const spec = bytes('\x16\x00\x00\x00\x02hello\x00\x06\x00\x00\x00world\x00\x00');
    expect(encodeBson({ hello: 'world' })).toEqual(spec);
    expect(decodeBson(spec)).toEqual({ hello: 'world' });
  });

  it('{"BSON": ["awesome", 5.05, 1986]} (the FAQ example: array, string, double, int32)', () => {
    const spec = bytes(
      '\x31\x00\x00\x00\x04BSON\x00\x26\x00\x00\x00\x020\x00\x08\x00\x00\x00awesome\x00' +
        '\x011\x00\x33\x33\x33\x33\x33\x33\x14\x40\x102\x00\xc2\x07\x00\x00\x00\x00',
    );
    expect(encodeBson({ BSON: ['awesome', 5.05, 1986] })).toEqual(spec);
    expect(decodeBson(spec)).toEqual({ BSON: ['awesome', 5.05, 1986] });
  });

  it('reads a hello reply: booleans, int32, int64, UTC datetime, ObjectId, subdocument, double', () => {
    const reply = doc(
      bytes('\x08isWritablePrimary\x00\x01'),
      bytes('\x03topologyVersion\x00'),
      doc(
        bytes('\x07processId\x00'),
        bytes('\x65\x4a\x1b\x2c\x3d\x4e\x5f\x60\x71\x82\x93\xa4'),
        bytes('\x12counter\x00\x00\x00\x00\x00\x00\x00\x00\x00'),
      ),
      bytes('\x10maxWireVersion\x00\x15\x00\x00\x00'),
      bytes('\x09localTime\x00'),
      bytes('\x00\x7c\x8d\x15\x91\x01\x00\x00'), // 1722643479552 ms, 2024-08-03T00:04:39.552Z
      bytes('\x08readOnly\x00\x00'),
      bytes('\x01ok\x00\x00\x00\x00\x00\x00\x00\xf0\x3f'), // 1.0
    );
    expect(decodeBson(reply)).toEqual({
      isWritablePrimary: true,
      topologyVersion: { processId: '654a1b2c3d4e5f60718293a4', counter: 0n },
      maxWireVersion: 21,
      localTime: new Date(0x01_91_15_8d_7c_00),
      readOnly: false,
      ok: 1,
    });
  });

  it('refuses documents whose sizes do not add up, and types it does not know', () => {
    const spec = bytes('\x16\x00\x00\x00\x02hello\x00\x06\x00\x00\x00world\x00\x00');
    expect(() => decodeBson(spec.subarray(0, 20))).toThrow(BsonError);
    const longString = Buffer.from(spec);
    longString[11] = 0x40; // the string claims 64 bytes
    expect(() => decodeBson(longString)).toThrow(/runs past its document/);
    // 0x0b, a regular expression: not needed for hello, so not read.
    expect(() => decodeBson(doc(bytes('\x0bre\x00a\x00i\x00')))).toThrow(/type 0x0b is not understood/);
  });
});

describe('OP_MSG, against the MongoDB wire protocol reference', () => {
  it('hello on admin is a header, flagBits 0, and one kind-0 section with the command', () => {
    const body = doc(bytes('\x10hello\x00\x01\x00\x00\x00'), bytes('\x02$db\x00\x06\x00\x00\x00admin\x00'));
    const header = Buffer.concat([int32(16 + 4 + 1 + body.length), int32(7), int32(0), int32(2013)]);
    const spec = Buffer.concat([header, int32(0), Buffer.from([0]), body]);
    expect(OP_MSG).toBe(2013);
    expect(opMsg(7, 0, { hello: 1, $db: 'admin' })).toEqual(spec);
  });
});
