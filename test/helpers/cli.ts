import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monotonic } from '../../main/core/probes/clock';

/** The launcher `npx portwatch` runs (package.json "bin"). */
export const BIN = fileURLToPath(new URL('../../main/cli/bin.mjs', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole process, start-up included. */
  wallMs: number;
}

export function portwatch(...args: string[]): Promise<CliRun> {
  return portwatchIn({}, ...args);
}

/** Runs the CLI with extra environment, e.g. PORTWATCH_HOME for a throwaway config folder. */
export function portwatchIn(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  const start = monotonic();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: monotonic() - start }));
  });
}
