import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../shared/csv';
import { CSV_HEADER, csvRows, inventoryRow } from '../../renderer/src/pages/inventory/rows';
import type { MonitorView } from '../../shared/api';
import { monitor } from '../helpers/monitors';

describe('the inventory CSV', () => {
  it('quotes as RFC 4180 says: commas, quotes and line breaks inside a quoted cell, quotes doubled', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(6379)).toBe('6379');
    expect(
      toCsv([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ).toBe('a,b\r\nc,d\r\n');
  });

  it('keeps text that starts like a formula as text, and numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes one line per monitor under the header, grouped by host and ordered by port', () => {
    const views: MonitorView[] = [
      monitor({ name: 'Redis on db', host: 'db', port: 6379, kind: 'service', check: 'redis', exposure: 'external' }),
      monitor({ name: 'Postgres on db', host: 'db', port: 5432, notes: '=owner, "ops"' }),
      monitor({ name: 'Web', host: 'app', port: 443, kind: 'http', url: 'https://app/' }),
    ].map((m) => ({ monitor: m, state: undefined }));
    const rows = csvRows(views.map((v) => inventoryRow(v)));
    expect(rows[0]).toEqual([...CSV_HEADER]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[5]])).toEqual([
      ['app', 'Web', 443],
      ['db', 'Postgres on db', 5432],
      ['db', 'Redis on db', 6379],
    ]);
    const text = toCsv(rows);
    expect(text).toContain(`"'=owner, ""ops"""`);
    expect(text.split('\r\n')[3]).toMatch(
      /^db,Redis on db,Redis,service,db,6379,1,external,.*Redis is a cache marked external/,
    );
  });
});
