// Just enough BSON (bsonspec.org, version 1.1) for a MongoDB hello: the encoder writes
// documents of int32, double, string, boolean, null, int64, UTC datetime and subdocuments;
// the decoder reads those and arrays, ObjectIds, binary, timestamps and decimal128.

export type BsonValue = number | bigint | string | boolean | null | Date | BsonValue[] | BsonDocument;
export interface BsonDocument {
  [key: string]: BsonValue;
}

const cstring = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);

function element(name: string, value: BsonValue): Buffer {
  const typed = (type: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([type]), cstring(name), body]);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) {
      const b = Buffer.alloc(4);
      b.writeInt32LE(value);
      return typed(0x10, b);
    }
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    return typed(0x01, b);
  }
  if (typeof value === 'bigint') {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(value);
    return typed(0x12, b);
  }
  if (typeof value === 'string') {
    const text = cstring(value);
    const len = Buffer.alloc(4);
    len.writeInt32LE(text.length);
    return typed(0x02, Buffer.concat([len, text]));
  }
  if (typeof value === 'boolean') return typed(0x08, Buffer.from([value ? 1 : 0]));
  if (value === null) return typed(0x0a, Buffer.alloc(0));
  if (value instanceof Date) {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(value.getTime()));
    return typed(0x09, b);
  }
  if (Array.isArray(value)) return typed(0x04, encodeBson(Object.fromEntries(value.map((v, i) => [String(i), v]))));
  return typed(0x03, encodeBson(value));
}

/** A document: int32 total size, the elements, a NUL. Keys keep their order. */
export function encodeBson(doc: BsonDocument): Buffer {
  const body = Buffer.concat(Object.entries(doc).map(([k, v]) => element(k, v)));
  const size = Buffer.alloc(4);
  size.writeInt32LE(4 + body.length + 1);
  return Buffer.concat([size, body, Buffer.from([0])]);
}

export class BsonError extends Error {}

/** Reads the document at `at`; throws BsonError on sizes that do not add up or unknown types. */
export function decodeBson(b: Buffer, at = 0): BsonDocument {
  if (b.length < at + 5) throw new BsonError('a BSON document is at least 5 bytes');
  const end = at + b.readInt32LE(at);
  if (end > b.length || end < at + 5 || b[end - 1] !== 0) throw new BsonError('the BSON document size does not fit');
  const doc: BsonDocument = {};
  let p = at + 4;
  const need = (n: number): number => {
    if (p + n > end - 1) throw new BsonError('a BSON value runs past its document');
    const start = p;
    p += n;
    return start;
  };
  while (p < end - 1) {
    const type = b[p++] ?? 0;
    const nameEnd = b.indexOf(0, p);
    if (nameEnd === -1 || nameEnd >= end) throw new BsonError('a BSON name has no end');
    const name = b.toString('utf8', p, nameEnd);
    p = nameEnd + 1;
    switch (type) {
      case 0x01:
        doc[name] = b.readDoubleLE(need(8));
        break;
      case 0x02: {
        const len = b.readInt32LE(need(4));
        if (len < 1) throw new BsonError('a BSON string has a bad size');
        const s = need(len);
        doc[name] = b.toString('utf8', s, s + len - 1);
        break;
      }
      case 0x03:
      case 0x04: {
        const s = need(4);
        const sub = decodeBson(b.subarray(0, end - 1), s);
        need(b.readInt32LE(s) - 4);
        doc[name] = type === 0x04 ? Object.values(sub) : sub;
        break;
      }
      case 0x05: {
        const len = b.readInt32LE(need(4));
        if (len < 0) throw new BsonError('a BSON binary has a bad size');
        need(1 + len);
        doc[name] = `<binary, ${len} bytes>`;
        break;
      }
      case 0x07:
        doc[name] = b.toString('hex', need(12), p);
        break;
      case 0x08:
        doc[name] = b[need(1)] === 1;
        break;
      case 0x09:
        doc[name] = new Date(Number(b.readBigInt64LE(need(8))));
        break;
      case 0x0a:
      case 0x7f:
      case 0xff:
        doc[name] = null;
        break;
      case 0x10:
        doc[name] = b.readInt32LE(need(4));
        break;
      case 0x11:
        doc[name] = b.readBigUInt64LE(need(8));
        break;
      case 0x12:
        doc[name] = b.readBigInt64LE(need(8));
        break;
      case 0x13:
        doc[name] = `<decimal128 ${b.toString('hex', need(16), p)}>`;
        break;
      default:
        throw new BsonError(`BSON type 0x${type.toString(16).padStart(2, '0')} is not understood`);
    }
  }
  return doc;
}
