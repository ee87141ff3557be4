// Reads the fields of one item of another tool's file, saying by place when one has the wrong type:
// "monitorList.3 ("API").port: expected a number, found the text "eighty"".

import { kindOf, type Findings } from './import-result';

export class FieldReader {
  constructor(
    private readonly item: Record<string, unknown>,
    private readonly place: string,
    private readonly findings: Findings,
  ) {}

  /** The raw value; null and absent are the same "not set". */
  raw(key: string): unknown {
    const v = this.item[key];
    return v === null ? undefined : v;
  }

  private wrong(key: string, expected: string): undefined {
    this.findings.problem(`${this.place}.${key}`, `expected ${expected}, found ${kindOf(this.item[key])}`);
    return undefined;
  }

  /** A text; an empty one counts as not set. Numbers are taken as their text (ids, chat ids). */
  string(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined || v === '') return undefined;
    if (typeof v === 'number') return String(v);
    return typeof v === 'string' ? v : this.wrong(key, 'a text');
  }

  /** A number, or a text holding one (some tools write ports as text). */
  number(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined || v === '') return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return this.wrong(key, 'a number');
  }

  /** true/false, or 1/0 as SQLite stores them. */
  bool(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 1 || v === 0) return v === 1;
    return this.wrong(key, 'true or false');
  }

  list(key: string): unknown[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    return Array.isArray(v) ? v : this.wrong(key, 'a list');
  }

  object(key: string): Record<string, unknown> | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    return typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : this.wrong(key, 'an object');
  }
}
