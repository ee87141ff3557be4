import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome, ProbeResult } from '../../shared/probe';
import { SERVICE_CHECKS } from '../../main/core/probes/protocols/index';
import { listen, openSockets } from '../helpers/net';
import { settle, timedProbe } from '../helpers/probe';

// Hostile servers on loopback: one that accepts and never writes, one that writes an endless
// stream (with and without newlines), one that sends a 10 MB banner and stays open. Every
// service check in the registry, and the tls and http probes, must end within the timeout with
// a clear outcome and a short, printable detail; memory must stay flat and no socket may leak.

const TIMEOUT_MS = 1000;
const PARALLEL = 4;
const ROUNDS = 5;
const MAX_GROWTH_BYTES = 30 * 1024 * 1024;
const BANNER_BYTES = 10 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/**
 * Random printable text. The alphabet is lowercase letters, space and punctuation that no
 * protocol starts a reply with (no digits, capitals, "+", "-", "*"), so the random bytes can never
 * happen to form a valid reply ("+OK", "-ERR", "220 ", "SSH-", "HTTP/", "OK" for the dialogue,
 * a plausible binary length) and every check has exactly one right answer: a mismatch.
 */
const ALPHABET = Buffer.from('abcdefghijklmnopqrstuvwxyz .,;:!?#~_=', 'latin1');

function randomText(bytes: number, newlines: boolean): Buffer {
  const out = randomBytes(bytes);
  for (let i = 0; i < out.length; i++) {
    const r = out[i] ?? 0;
    // About one byte in 48 ends a line (CR LF or LF), so lines stay short.
    out[i] = newlines && r < 6 ? 0x0a : (ALPHABET[r % ALPHABET.length] ?? 0x61);
    if (newlines && r < 3 && i > 0 && out[i - 1] !== 0x0a) out[i - 1] = 0x0d;
  }
  return out;
}

/** Writes the chunks round and round for as long as the socket drains, until it closes. */
function endless(chunks: Buffer[]): (socket: Socket) => void {
  return (socket) => {
    let n = 0;
    const pump = (): void => {
      while (!socket.destroyed && socket.writable) {
        const chunk = chunks[n++ % chunks.length] ?? Buffer.from('x');
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  };
}

type ServerClass = 'silent' | 'stream' | 'streamNoNewlines' | 'banner';
type Server = Awaited<ReturnType<typeof listen>>;

interface Case {
  name: string;
  kind: 'service' | 'tls' | 'http' | 'https';
  run: (port: number) => Promise<{ result: ProbeResult; waited: number }>;
}

/** Settings for the checks that cannot run without them. */
const SETTINGS: Record<string, Record<string, unknown>> = {
  dialogue: { steps: [{ expect: '^OK' }] },
  dns: { name: 'x.test', transport: 'tcp' },
};

const at = (port: number): { host: string; port: number } => ({ host: '127.0.0.1', port });

// The registry is iterated, so a check added later is covered here without a change.
const CASES: Case[] = [
  ...Object.keys(SERVICE_CHECKS)
    .sort()
    .map((check): Case => ({
      name: `service ${check}`,
      kind: 'service',
      run: (port) =>
        timedProbe(
          'service',
          at(port),
          { check, ...(SETTINGS[check] ? { settings: SETTINGS[check] } : {}) },
          TIMEOUT_MS,
        ),
    })),
  { name: 'tls', kind: 'tls', run: (port) => timedProbe('tls', at(port), { insecure: true }, TIMEOUT_MS) },
  {
    name: 'http',
    kind: 'http',
    run: (port) => timedProbe('http', at(port), { url: `http://127.0.0.1:${port}/` }, TIMEOUT_MS),
  },
  {
    name: 'https',
    kind: 'https',
    run: (port) => timedProbe('http', at(port), { url: `https://127.0.0.1:${port}/`, insecure: true }, TIMEOUT_MS),
  },
];

/** The one right outcome for a kind of check against a class of server, and words the detail must have. */
function expected(kind: Case['kind'], server: ServerClass): { outcome: Outcome; detail: RegExp } {
  if (server === 'silent') {
    switch (kind) {
      case 'service':
        // Connected, then waited for the greeting or reply it names, until the deadline.
        return { outcome: 'timeout', detail: /waited for .+ until the deadline/ };
      case 'http':
        return { outcome: 'timeout', detail: new RegExp(`no response within ${TIMEOUT_MS} ms`) };
      case 'tls':
      case 'https':
        // The server never answers the ClientHello: a TLS handshake timeout.
        return { outcome: 'tls', detail: new RegExp(`handshake timeout: not finished within ${TIMEOUT_MS} ms`) };
    }
  }
  switch (kind) {
    case 'service':
      // A mismatch naming what the check expected: "expected a 220 greeting, got …", or for
      // the dialogue "step 1 (expect /^OK/): no matching line in 16384 bytes, …".
      return { outcome: 'protocol', detail: /\bexpect/ };
    case 'http':
      return { outcome: 'protocol', detail: /did not answer with valid HTTP/ };
    case 'tls':
    case 'https':
      // Nothing to wait for here: the first bytes are not a TLS record, so the handshake fails
      // at once, as a TLS failure (not a protocol one) that says the port is not speaking TLS.
      return { outcome: 'tls', detail: /did not answer with TLS/ };
  }
}

/**
 * Printable ASCII, plus the ellipsis the probes put after a quote they cut short (the one
 * character outside ASCII they use on purpose); never a raw control byte from the server.
 */
const PRINTABLE = /^[\x20-\x7e…]*$/;
const MAX_DETAIL = 300;

/** Runs `jobs` with at most `limit` at a time, keeping their order. */
async function pooled<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i];
      if (job) results[i] = await job();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

interface Measured {
  heapUsed: number;
  arrayBuffers: number;
}

/** Memory after garbage is collected (when gc is exposed) or after a few turns of the loop. */
async function memory(): Promise<Measured> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 5; i++) {
    gc?.();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('hostile servers', () => {
  const servers = {} as Record<ServerClass, Server>;
  let socketsBefore = 0;

  beforeAll(async () => {
    socketsBefore = openSockets();
    const withNewlines = Array.from({ length: 8 }, () => randomText(CHUNK_BYTES, true));
    const withoutNewlines = Array.from({ length: 8 }, () => randomText(CHUNK_BYTES, false));
    // One buffer, written whole to every connection: the server side holds no more per client.
    const banner = randomText(BANNER_BYTES, false);
    // Reads (and drops) what the probe sends, so its end closes when the probe hangs up;
    // a socket never read would sit in CLOSE-WAIT and count as a leak that is not the probe's.
    servers.silent = await listen((socket) => socket.resume());
    servers.stream = await listen(endless(withNewlines));
    servers.streamNoNewlines = await listen(endless(withoutNewlines));
    servers.banner = await listen((socket) => socket.write(banner));
  });

  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  /** Runs every case against one server; returns what was wrong with each result, if anything. */
  async function against(server: ServerClass): Promise<{ problems: string[]; outcomes: string[] }> {
    const port = servers[server].port;
    const runs = await pooled(
      CASES.map((c) => async () => {
        try {
          return { c, ...(await c.run(port)) };
        } catch (e) {
          // timedProbe throws when the probe ran past its deadline; runProbe itself never should.
          return { c, thrown: e instanceof Error ? e.message : String(e) };
        }
      }),
      PARALLEL,
    );
    const problems: string[] = [];
    const outcomes: string[] = [];
    for (const r of runs) {
      const label = `${r.c.name} vs ${server}`;
      if ('thrown' in r) {
        problems.push(`${label}: ${r.thrown}`);
        continue;
      }
      const { outcome, detail } = r.result;
      const want = expected(r.c.kind, server);
      outcomes.push(`${label}: ${outcome} in ${r.waited.toFixed(0)} ms: ${detail}`);
      if (outcome !== want.outcome) problems.push(`${label}: outcome ${outcome}, expected ${want.outcome} (${detail})`);
      if (!want.detail.test(detail))
        problems.push(`${label}: detail "${detail}" does not match ${String(want.detail)}`);
      if (!PRINTABLE.test(detail)) problems.push(`${label}: detail is not printable: ${JSON.stringify(detail)}`);
      // The servers send only printable text, CR and LF: a quote of it escapes nothing else.
      if (/\\x[0-9a-f]/i.test(detail)) problems.push(`${label}: detail escapes a character it should not: ${detail}`);
      if (detail.length >= MAX_DETAIL) problems.push(`${label}: detail is ${detail.length} characters long`);
    }
    // HOSTILE_VERBOSE=1 prints every outcome and the memory samples, to see what each check said.
    if (process.env.HOSTILE_VERBOSE) console.log(outcomes.join('\n'));
    return { problems, outcomes };
  }

  it('a server that accepts and never writes: every check times out, within the timeout', async () => {
    const { problems, outcomes } = await against('silent');
    expect(problems).toEqual([]);
    expect(outcomes).toHaveLength(CASES.length);
  }, 60_000);

  it('an endless stream of text lines: every check reports a mismatch naming what it expected', async () => {
    const { problems } = await against('stream');
    expect(problems).toEqual([]);
  }, 60_000);

  it('an endless stream with no newline: every check reports a mismatch naming what it expected', async () => {
    const { problems } = await against('streamNoNewlines');
    expect(problems).toEqual([]);
  }, 60_000);

  it('a 10 MB banner without a newline: every check reports a mismatch naming what it expected', async () => {
    const { problems } = await against('banner');
    expect(problems).toEqual([]);
  }, 60_000);

  it('memory stays flat over repeated rounds of streams and banners', async () => {
    const samples: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of ['stream', 'streamNoNewlines', 'banner'] as const) {
        const { problems } = await against(server);
        expect(problems, `round ${round + 1}`).toEqual([]);
      }
      samples.push(await memory());
    }
    const first = samples[0];
    const last = samples[samples.length - 1];
    if (!first || !last) throw new Error('no memory samples');
    const heap = last.heapUsed - first.heapUsed;
    const buffers = last.arrayBuffers - first.arrayBuffers;
    if (process.env.HOSTILE_VERBOSE)
      console.log(
        `gc ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'exposed' : 'not exposed'}; ` +
          `heapUsed ${samples.map((s) => mb(s.heapUsed)).join(', ')}; ` +
          `arrayBuffers ${samples.map((s) => mb(s.arrayBuffers)).join(', ')}`,
      );
    expect(heap, `heapUsed grew by ${mb(heap)}`).toBeLessThan(MAX_GROWTH_BYTES);
    expect(buffers, `Buffer memory grew by ${mb(buffers)}`).toBeLessThan(MAX_GROWTH_BYTES);
  }, 120_000);

  it('leaves no socket open', async () => {
    // The servers' ends close when the probes hang up; give the last of them a moment.
    for (let i = 0; i < 20 && openSockets() > socketsBefore; i++) await settle();
    expect(openSockets()).toBe(socketsBefore);
  });
});
