import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, renderCsv } from '../../main/core/formats/csv-export';
import { notCarriedLines } from '../../main/core/formats/export-result';
import { monitor } from '../helpers/monitors';

describe('CSV export', () => {
  it('quotes as RFC 4180 says and keeps a cell that starts like a formula as text', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell(undefined)).toBe('');
    for (const risky of ['=1+1', '+1', '-cmd', '@SUM(A1)', '\tx']) expect(csvCell(risky)).toBe(`'${risky}`);
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvCell(6379)).toBe('6379');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes the header and one CRLF line per monitor, in the documented column order', () => {
    const text =
      renderCsv([
        monitor({ name: 'Redis', kind: 'service', check: 'redis', service: 'redis', host: 'db', port: 6379 }),
        monitor({
          name: 'Web',
          kind: 'http',
          host: 'app',
          port: 443,
          url: 'https://app/',
          tier: 3,
          exposure: 'external',
          notes: 'owner: "ops", on call',
        }),
      ]).files[0]?.text ?? '';
    expect(CSV_COLUMNS.join(',')).toBe('host,port,service,tier,exposure,notes,name,kind,check,url');
    expect(text.split('\r\n')).toEqual([
      'host,port,service,tier,exposure,notes,name,kind,check,url',
      'db,6379,redis,1,internal,,Redis,service,redis,',
      'app,443,,3,external,"owner: ""ops"", on call",Web,http,,https://app/',
      '',
    ]);
  });

  it('says which settings have no column', () => {
    const { notCarried } = renderCsv([
      monitor({
        name: 'api',
        kind: 'http',
        port: 80,
        url: 'http://127.0.0.1/',
        tags: ['prod'],
        http: { expectStatus: '200', bodyContains: 'ok' },
      }),
    ]);
    expect(notCarriedLines(notCarried)).toEqual([
      'api: its own timings (interval 5s, timeout 500 ms, retry interval 1s); HTTP rules (status 200, body text); tags (prod)',
    ]);
  });
});
