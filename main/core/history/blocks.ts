// One monitor's raw results of one hour, packed into a blob of `result_blocks`. Per result, in
// time order: a varint of twice the seconds since the previous result (since the hour's start for
// the first), plus one when its code is the previous result's; the latency in tenths of a
// millisecond as a varint; then, unless it repeats, the one-byte code of codec.ts. A monitor's
// code rarely changes from one check to the next, so checks a minute apart with latencies under
// 1.6 s take 3 bytes, where a row of `results` takes about 19 even on a full page. The hour is in
// the row's key, so the blob never repeats it.

import { HOUR_S } from './codec';
import type { RawRow } from './statements';

export type Visit = (ts: number, tenths: number, code: number) => void;

/** A varint of a safe integer takes at most 8 bytes; a result at most two of them and its code. */
const MAX_RESULT_BYTES = 17;

let scratch = new Uint8Array(4096);

/** Packs results of one hour, sorted by second and each second once, starting at `hour` (seconds). */
export function encodeBlock(rows: readonly RawRow[], hour: number): Buffer {
  if (scratch.length < rows.length * MAX_RESULT_BYTES) scratch = new Uint8Array(rows.length * MAX_RESULT_BYTES);
  const out = scratch;
  let at = 0;
  // Division rather than shifts: latencies are not bounded to 32 bits.
  const varint = (v: number): void => {
    while (v >= 128) {
      out[at++] = (v % 128) + 128;
      v = Math.floor(v / 128);
    }
    out[at++] = v;
  };
  let prev = hour;
  let prevCode = -1;
  for (const [i, [ts, tenths, code]] of rows.entries()) {
    const delta = ts - prev;
    if (!(delta >= (i === 0 ? 0 : 1)) || ts >= hour + HOUR_S || !Number.isInteger(ts)) {
      throw new RangeError(`results of a block must be distinct seconds of hour ${hour}, in order; got ${ts}`);
    }
    if (!Number.isSafeInteger(tenths) || tenths < 0 || !Number.isInteger(code) || code < 0 || code > 255) {
      throw new RangeError(`cannot pack latency ${tenths} and code ${code}`);
    }
    varint(delta * 2 + (code === prevCode ? 1 : 0));
    varint(tenths);
    if (code !== prevCode) out[at++] = code;
    prev = ts;
    prevCode = code;
  }
  return Buffer.from(out.subarray(0, at));
}

/** Calls `visit` for each result of a block, in time order. */
export function decodeBlock(data: Uint8Array, hour: number, visit: Visit): void {
  let at = 0;
  const varint = (): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = data[at++];
      if (b === undefined) throw new RangeError(`history holds a damaged block for hour ${hour}`);
      if (b < 128) return v + b * scale;
      v += (b - 128) * scale;
      scale *= 128;
    }
  };
  let ts = hour;
  let code: number | undefined;
  while (at < data.length) {
    const step = varint();
    ts += Math.floor(step / 2);
    const tenths = varint();
    if (step % 2 === 0) code = data[at++];
    if (code === undefined) throw new RangeError(`history holds a damaged block for hour ${hour}`);
    visit(ts, tenths, code);
  }
}

/**
 * A packed hour merged with rows written for it since: both sorted by second, and a row replaces
 * a packed result of the same second, as a later write replaces an earlier one.
 */
export function mergeRows(packed: readonly RawRow[], rows: readonly RawRow[]): RawRow[] {
  const out: RawRow[] = [];
  let i = 0;
  let j = 0;
  while (i < packed.length || j < rows.length) {
    const p = packed[i];
    const r = rows[j];
    if (r === undefined || (p !== undefined && p[0] < r[0])) {
      out.push(p as RawRow);
      i++;
    } else {
      if (p !== undefined && p[0] === r[0]) i++;
      out.push(r);
      j++;
    }
  }
  return out;
}

/** A block's results as rows, in time order. */
export function blockRows(data: Uint8Array, hour: number): RawRow[] {
  const rows: RawRow[] = [];
  decodeBlock(data, hour, (ts, tenths, code) => rows.push([ts, tenths, code]));
  return rows;
}
