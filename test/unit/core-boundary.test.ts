import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const eslint = new ESLint({ cwd: process.cwd() });

const errorsFor = async (code: string, filePath: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the monitoring core stays free of Electron', () => {
  it('lint rejects an electron import under main/core', async () => {
    expect(
      await errorsFor("import { app } from 'electron';\nexport const a = app;\n", 'main/core/probes/x.ts'),
    ).toHaveLength(1);
    expect(
      await errorsFor("import { ipcMain } from 'electron/main';\nexport const a = ipcMain;\n", 'main/core/x.ts'),
    ).toHaveLength(1);
  });

  it('lint allows it in the Electron glue under main/app', async () => {
    expect(await errorsFor("import { app } from 'electron';\nexport const a = app;\n", 'main/app/x.ts')).toHaveLength(
      0,
    );
  });

  it('no file under main/core mentions an electron import today', () => {
    const offenders = filesUnder('main/core').filter((f) =>
      /from\s+['"]electron(\/|['"])|require\(['"]electron/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
