import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../main/core/formats/csv-import';
import { readImport } from '../../main/core/formats/read-import';

const fixture = readFileSync(new URL('../fixtures/import/inventory.csv', import.meta.url), 'utf8');

describe('a CSV inventory', () => {
  const r = readImport({ text: fixture, name: 'inventory.csv', format: 'csv' });

  it('makes one monitor per row, checked as the catalog checks its service', () => {
    expect(r.problems).toEqual([]);
    expect(r.monitors).toEqual([
      {
        name: 'HTTPS on app.example.internal',
        kind: 'http',
        host: 'app.example.internal',
        port: 443,
        url: 'https://app.example.internal/',
        service: 'https',
        tier: 1,
        exposure: 'external',
        notes: 'Storefront, the main site',
      },
      {
        name: 'PostgreSQL on db.example.internal',
        kind: 'service',
        check: 'postgres',
        host: 'db.example.internal',
        port: 5432,
        service: 'postgres',
        tier: 1,
        exposure: 'internal',
        notes: 'Primary; ask the "DBA" before a restart',
      },
      {
        name: 'Redis on cache.example.internal',
        kind: 'service',
        check: 'redis',
        host: 'cache.example.internal',
        port: 6379,
        service: 'redis',
        tier: 2,
        exposure: 'internal',
      },
      {
        name: 'SMTP 465 on mail.example.com',
        kind: 'service',
        check: 'smtp',
        implicitTls: true,
        host: 'mail.example.com',
        port: 465,
        service: 'smtp',
        tier: 3,
        exposure: 'external',
        notes: 'Transactional mail\r\n(receipts, password resets)',
      },
      {
        name: 'TCP 8080 on 192.0.2.7',
        kind: 'tcp',
        host: '192.0.2.7',
        port: 8080,
        exposure: 'internal',
        notes: 'legacy API',
      },
    ]);
    // Rows as the spreadsheet numbers them: a cell spanning two lines is still one row.
    expect(r.origins).toEqual(['row 2', 'row 3', 'row 4', 'row 5', 'row 7']);
  });

  it('lists a column it does not read', () => {
    expect(r.notMapped).toEqual([
      { item: 'row 1, column G ("Owner")', why: expect.stringMatching(/^not a column Portwatch reads/) },
    ]);
  });
});

describe('CSV, flexible and strict', () => {
  it('takes the columns in any order, and semicolons as a spreadsheet in many locales saves them', () => {
    const r = parseCsv('notes;port;HOSTNAME;Exposure\n"a;b";22;bastion.example;Public\n');
    expect(r.problems).toEqual([]);
    expect(r.monitors).toEqual([
      {
        name: 'TCP 22 on bastion.example',
        kind: 'tcp',
        host: 'bastion.example',
        port: 22,
        exposure: 'external',
        notes: 'a;b',
      },
    ]);
  });

  it('names the row and column of every bad value', () => {
    const r = parseCsv(
      'host,port,service,tier,exposure\nok.example,80,http,1,internal\nweb.example,70000,http,1,internal\ndb.example,5432,postgress,4,dmz\n,22,ssh,,\n',
    );
    expect(r.problems).toEqual([
      'row 3, column B ("port"): "70000" is not a port (a whole number from 1 to 65535)',
      expect.stringMatching(
        /^row 4, column C \("service"\): "postgress" is not a service Portwatch knows: use tcp, tls or one of http, https, ssh, postgres/,
      ),
      'row 4, column D ("tier"): "4" is not a tier: use 1 (critical), 2 (important) or 3 (tolerant)',
      'row 4, column E ("exposure"): "dmz" is neither internal nor external',
      'row 5, column A ("host"): empty: every row needs a host',
    ]);
  });

  it('needs a header row naming a host column, and a closed quote', () => {
    expect(parseCsv('app.example,443,https\n').problems).toEqual([
      expect.stringMatching(/^row 1: the header row has no "host" column \(it has "app\.example", "443", "https"\)/),
    ]);
    expect(parseCsv('host,port,notes\na.example,1,"open\nb.example,2,x\n').problems).toEqual([
      'line 2: a quoted cell is never closed (a " is missing)',
    ]);
  });

  it("reads a Portwatch CSV export's kind and check columns, and its formula guard", () => {
    const r = parseCsv(
      'host,port,service,tier,exposure,notes,name,kind,check,url\r\n' +
        "mail.example,2525,smtp,3,internal,'-relay,Relay,service,smtp,\r\n" +
        'mail.example,465,smtp,3,internal,,Port only,tcp,,\r\n' +
        'odd.example,7000,,2,internal,,Odd,service,dialogue,\r\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.monitors).toEqual([
      expect.objectContaining({ name: 'Relay', kind: 'service', check: 'smtp', port: 2525, notes: '-relay' }),
      expect.objectContaining({ name: 'Port only', kind: 'tcp', port: 465, service: 'smtp' }),
      expect.objectContaining({ name: 'Odd', kind: 'service', check: 'dialogue', port: 7000 }),
    ]);
    expect(parseCsv('host,port,kind,check\nh.example,1,udp,\nh.example,2,service,nope\n').problems).toEqual([
      'row 2, column C ("kind"): "udp" is not a kind: use tcp, tls, http or service',
      expect.stringMatching(/^row 3, column D \("check"\): "nope" is not a check: use one of /),
    ]);
  });

  it('takes a URL column for an http monitor', () => {
    const r = parseCsv('url,tier\nhttps://shop.example/health,1\n');
    expect(r.monitors).toEqual([
      {
        name: 'shop.example /health',
        kind: 'http',
        host: 'shop.example',
        port: 443,
        url: 'https://shop.example/health',
        tier: 1,
      },
    ]);
  });
});
