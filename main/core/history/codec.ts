// How one result is squeezed into small integers (a raw row, or a packed block), and back.

import { OUTCOMES, PHASES, type Outcome, type Phase } from '../../../shared/probe';

// `code` = slow + 2 × (outcome + 9 × phase), at most 125: SQLite stores any value below 128 in
// one byte, where plain bit fields (4 + 3 + 1 bits) would reach 255 and take two bytes for the
// later phases. The radices are written out, not taken from the arrays, because stored codes
// depend on them: reordering or growing OUTCOMES or PHASES needs a migration that re-encodes
// `results.code` and the codes packed in `result_blocks`. These two lines stop the build when
// either count changes.
const OUTCOME_RADIX = 9;
const PHASE_RADIX = 7;
const _outcomesFit: typeof OUTCOMES.length = OUTCOME_RADIX;
const _phasesFit: typeof PHASES.length = PHASE_RADIX;

const outcomeIndex = new Map<string, number>(OUTCOMES.map((o, i) => [o, i]));
const phaseIndex = new Map<string, number>(PHASES.map((p, i) => [p, i]));

export function encodeCode(outcome: Outcome, phase: Phase, slow: boolean): number {
  const o = outcomeIndex.get(outcome);
  const p = phaseIndex.get(phase);
  if (o === undefined) throw new RangeError(`unknown outcome ${JSON.stringify(outcome)}`);
  if (p === undefined) throw new RangeError(`unknown phase ${JSON.stringify(phase)}`);
  return (slow ? 1 : 0) + 2 * (o + OUTCOME_RADIX * p);
}

export interface Decoded {
  outcome: Outcome;
  phase: Phase;
  slow: boolean;
}

const decoded: Decoded[] = [];
for (let p = 0; p < PHASE_RADIX; p++) {
  for (let o = 0; o < OUTCOME_RADIX; o++) {
    for (const slow of [false, true]) {
      decoded[encodeCode(OUTCOMES[o] as Outcome, PHASES[p] as Phase, slow)] = {
        outcome: OUTCOMES[o] as Outcome,
        phase: PHASES[p] as Phase,
        slow,
      };
    }
  }
}

export function decodeCode(code: number): Decoded {
  const d = decoded[code];
  // Only a database edited by hand, or by a future version that skipped its migration, gets here.
  if (!d) throw new RangeError(`history holds an unknown result code ${code}`);
  return d;
}

/** Class of one result for uptime and charts: passing and fast, passing but slow, or failed. */
export const classOf = (code: number): 'up' | 'degraded' | 'down' => {
  if (Math.floor(code / 2) % OUTCOME_RADIX !== 0) return 'down';
  return code % 2 === 1 ? 'degraded' : 'up';
};

/** classOf's "not down", as SQL over a column of codes, for figures counted inside the database. */
export const passedSql = (column: string): string => `(${column} / 2) % ${OUTCOME_RADIX} = 0`;

export const SECOND = 1000;
export const HOUR_S = 3600;
export const DAY_MS = 86_400_000;

/** Over 3,000 years: far past any timeout, and a whole number of tenths below 2^53. */
const MAX_MS = 1e14;

export const toSeconds = (ms: number): number => Math.floor(ms / SECOND);
export const hourFloorS = (seconds: number): number => seconds - (((seconds % HOUR_S) + HOUR_S) % HOUR_S);

export function toTenths(ms: number): number {
  // Bounded so that every stored latency reads back exact as a JavaScript number.
  if (!(Math.abs(ms) <= MAX_MS))
    throw new RangeError(`latency must be a finite number of ms up to ${MAX_MS}, got ${ms}`);
  return Math.max(0, Math.round(ms * 10));
}
