import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../main/core/formats/detect';
import { MAX_IMPORT_BYTES } from '../../main/core/formats/import-result';
import { readImport } from '../../main/core/formats/read-import';

const read = (name: string): string => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

describe('telling the format of a file', () => {
  it('tells each fixture by its content, whatever it is called', () => {
    const cases: [string, string][] = [
      ['kuma-backup.json', 'kuma'],
      ['gatus-config.yaml', 'gatus'],
      ['blackbox.yml', 'blackbox'],
      ['nmap-scan.xml', 'nmap'],
      ['inventory.csv', 'csv'],
    ];
    for (const [file, format] of cases) expect(detectFormat(read(file), 'upload.txt')).toEqual({ ok: true, format });
    expect(detectFormat('{"portwatch": 1, "monitors": []}', 'x')).toEqual({ ok: true, format: 'portwatch' });
    expect(detectFormat('portwatch: 1\nmonitors: []\n', 'x')).toEqual({ ok: true, format: 'portwatch' });
  });

  it('still tells a broken file, so its own reader can say where it breaks', () => {
    expect(detectFormat(read('kuma-backup.json').slice(0, 500), 'backup.json')).toEqual({ ok: true, format: 'kuma' });
    expect(detectFormat('endpoints:\n  - name: [a\n', 'config.yaml')).toEqual({ ok: true, format: 'gatus' });
  });

  it('sends a prometheus.yml to --prometheus, and asks for --from when it cannot tell', () => {
    expect(detectFormat(read('prometheus.yml'), 'prometheus.yml')).toEqual({
      ok: false,
      error: expect.stringMatching(/this is a prometheus\.yml: import the blackbox\.yml .* with --prometheus/),
    });
    expect(detectFormat('hello: world\n', 'notes.yaml')).toEqual({
      ok: false,
      error: 'cannot tell which tool wrote notes.yaml; say it with --from portwatch|kuma|gatus|blackbox|nmap|csv',
    });
  });
});

describe('reading an import', () => {
  it('refuses a file over the cap before reading it as any format', () => {
    const big = `host,port\n${'a.example,1\n'.repeat(Math.ceil((MAX_IMPORT_BYTES + 1) / 12))}`;
    const r = readImport({ text: big, name: 'big.csv' });
    expect(r.monitors).toEqual([]);
    expect(r.problems).toEqual([expect.stringMatching(/^big\.csv is 10\.0 MB; an import reads at most 10\.0 MB$/)]);
  });

  it('reads a Portwatch export as it always did, problems named by entry', () => {
    const r = readImport({
      text: JSON.stringify({ portwatch: 1, monitors: [{ name: 'x', kind: 'tcp', host: 'h', port: 70000 }] }),
      name: 'export.json',
    });
    expect(r.problems).toEqual(['monitors.0 ("x").port: the port must be from 1 to 65535']);
  });
});
