import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './net';

export interface Daemon {
  port: number;
  dir: string;
  stop: () => Promise<void>;
}

/** Resolves once something accepts TCP connections on the port. */
export async function waitForPort(port: number, child: ChildProcess, log: () => string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server did not listen on ${port} within ${ms} ms: ${log()}`);
}

/**
 * Starts a real server from Debian on a free loopback port with a throwaway folder, and stops
 * it (and removes the folder) after. `args` receives the port and the folder.
 */
export async function startDaemon(
  command: string,
  args: (port: number, dir: string) => string[],
  options: { port?: number; ready?: (port: number, child: ChildProcess, log: () => string) => Promise<void> } = {},
): Promise<Daemon> {
  const port = options.port ?? (await closedPort());
  const dir = mkdtempSync(join(tmpdir(), `pw-${command.split('/').pop() ?? 'daemon'}-`));
  const child = spawn(command, args(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await (options.ready ?? waitForPort)(port, child, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, dir, stop };
}

export const startRedis = (password?: string): Promise<Daemon> =>
  startDaemon('redis-server', (port, dir) => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    ...(password ? ['--requirepass', password] : []),
  ]);
