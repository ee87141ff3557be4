import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { BIN, portwatchIn } from '../helpers/cli';
import { listen } from '../helpers/net';
import { waitFor } from '../helpers/monitors';

const TOKEN = 'test-token-0123456789abcdef';

describe('portwatch serve', () => {
  let dir: string;
  let child: ChildProcess;
  let base = '';
  let open: Awaited<ReturnType<typeof listen>>;
  let stdout = '';

  beforeAll(async () => {
    open = await listen();
    dir = mkdtempSync(join(tmpdir(), 'pw-serve-'));
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      env: { ...process.env, PORTWATCH_HOME: dir, PORTWATCH_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    await waitFor(() => /serving .* on (http:\S+)/.test(stdout), 10_000, 'serve to start');
    base = (/on (http:\S+)/.exec(stdout)?.[1] ?? '').replace(/\/$/, '');
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await open?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (path: string, init: RequestInit = {}, token: string | null = TOKEN) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${base}${path}`, { ...init, headers });
    return { status: res.status, body: (await res.json()) as { ok: boolean; value?: unknown; error?: string } };
  };

  it('listens on loopback and refuses API calls without the right token', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await api('/api/monitors', {}, null)).status).toBe(401);
    expect((await api('/api/monitors', {}, 'wrong-token-wrong-token-xx')).status).toBe(401);
    expect((await api('/api/monitors')).body).toEqual({ ok: true, value: [] });
  });

  it("answers the window's calls by their contract names, errors as values naming what was wrong", async () => {
    const call = (name: string, args: unknown) =>
      api(`/api/call/${name}`, { method: 'POST', body: JSON.stringify({ args }) });
    expect(await call('overview', [])).toMatchObject({ status: 200, body: { ok: true, value: { offline: false } } });
    expect(await call('monitors.get', [42])).toEqual({
      status: 200,
      body: { ok: false, error: 'monitors.get: argument 1 must be a string, not number 42' },
    });
    expect(await call('monitors.get', ['no-such'])).toEqual({
      status: 200,
      body: { ok: false, error: 'no monitor with id no-such' },
    });
    expect((await call('shutdown', [])).body).toEqual({ ok: false, error: 'there is no call named "shutdown"' });
    expect((await call('overview', 'not a list')).body).toEqual({
      ok: false,
      error: 'the body must be {"args": [...]}',
    });
    expect((await call('overview', [])).status).toBe(200);
    const r = await fetch(`${base}/api/call/overview`, { method: 'POST', body: '{"args":[]}' });
    expect(r.status).toBe(401);
  });

  it('adds a monitor, checks it, and pushes the result over the WebSocket', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/events?token=${TOKEN}`);
    const messages: string[] = [];
    ws.on('message', (d: Buffer) => messages.push(d.toString()));
    await new Promise((r) => ws.once('open', r));
    const added = await api('/api/monitors', {
      method: 'POST',
      body: JSON.stringify({ name: 'web', kind: 'tcp', host: '127.0.0.1', port: open.port }),
    });
    expect(added.status).toBe(200);
    const id = (added.body.value as { id: string }).id;
    await api(`/api/monitors/${id}/check`, { method: 'POST' });
    await waitFor(() => messages.some((m) => m.includes('"type":"result"') && m.includes(id)), 5000, 'a result event');
    ws.close();
    const view = await api(`/api/monitors/${id}`);
    expect(view.body).toMatchObject({ ok: true, value: { monitor: { name: 'web' }, state: { status: 'up' } } });
    const overview = await api('/api/overview');
    expect(overview.body).toMatchObject({ ok: true, value: { counts: { up: 1 } } });
  });

  it('answers bad input with a clear error and keeps running', async () => {
    const bad = await api('/api/monitors', {
      method: 'POST',
      body: JSON.stringify({ name: 'x', kind: 'tcp', host: '127.0.0.1', port: 0 }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/port/);
    const garbage = await api('/api/monitors', { method: 'POST', body: '{not json' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toMatch(/not valid JSON/);
    expect((await api('/api/monitors/nope')).body.error).toMatch(/no monitor with id nope/);
    expect((await api('/api/nothing')).status).toBe(404);
    expect((await api('/api/monitors')).status).toBe(200);
  });

  it('needs --allow-remote to listen beyond loopback', async () => {
    const run = await portwatchIn({ PORTWATCH_HOME: dir }, 'serve', '--host', '0.0.0.0', '--port', '0');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--allow-remote/);
  });
});
