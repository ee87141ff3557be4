// Which HTTP statuses count as passing, written the way people say it: "200", "2xx",
// "200-299", or a comma list of those.

export interface StatusRange {
  from: number;
  to: number;
}

export interface StatusRule {
  text: string;
  ranges: StatusRange[];
}

export const DEFAULT_STATUS_RULE = '200-399';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const inRange = (n: number): boolean => Number.isInteger(n) && n >= 100 && n <= 599;

function parsePart(part: string): StatusRange | string {
  const p = part.trim().toLowerCase();
  const family = /^([1-5])xx$/.exec(p);
  if (family) {
    const base = Number(family[1]) * 100;
    return { from: base, to: base + 99 };
  }
  const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(p);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (!inRange(from) || !inRange(to) || from > to)
      return `"${part.trim()}" is not a range of HTTP statuses (100-599, low-high)`;
    return { from, to };
  }
  if (/^\d{3}$/.test(p) && inRange(Number(p))) return { from: Number(p), to: Number(p) };
  return `"${part.trim()}" is not an HTTP status: use 200, 2xx, 200-299 or a comma list of those`;
}

export function parseStatusRule(text: string): Parsed<StatusRule> {
  const parts = text.split(',').filter((p) => p.trim() !== '');
  if (parts.length === 0) return { ok: false, error: 'the expected status is empty: use 200, 2xx or 200-299' };
  const ranges: StatusRange[] = [];
  for (const part of parts) {
    const r = parsePart(part);
    if (typeof r === 'string') return { ok: false, error: r };
    ranges.push(r);
  }
  return { ok: true, value: { text: parts.map((p) => p.trim()).join(','), ranges } };
}

export const statusMatches = (rule: StatusRule, status: number): boolean =>
  rule.ranges.some((r) => status >= r.from && status <= r.to);
