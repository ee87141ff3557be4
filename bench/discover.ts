// What a discover scan costs on loopback, against servers this bench starts itself (no other
// port is touched): how fast open ports are named, and how DROP-ed ports bound the wall time.
// Prints figures; asserts nothing. The DROP figure needs root (iptables on lo) and is skipped
// without it.
import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { monotonic } from '../main/core/probes/clock';
import { scan } from '../main/core/discover/scan';

async function serve(onConnection: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

// A Redis as far as PING goes: PONG to PING, an error line to anything else.
const redisLike = (s: Socket): void => {
  s.on('data', (d: Buffer) => s.write(d.toString().startsWith('PING') ? '+PONG\r\n' : '-ERR unknown command\r\n'));
};
const sshLike = (s: Socket): void => {
  s.write('SSH-2.0-OpenSSH_9.2p1 bench\r\n');
  s.on('data', () => undefined);
};

async function named(count: number, concurrency: number, timeoutMs: number): Promise<void> {
  const servers = await Promise.all(Array.from({ length: count }, (_, i) => serve(i % 2 ? redisLike : sshLike)));
  try {
    const t0 = monotonic();
    const report = await scan(['127.0.0.1'], { ports: servers.map((s) => s.port), timeoutMs, concurrency });
    const wall = monotonic() - t0;
    const ok = report.results.filter((r) => r.service === 'redis' || r.service === 'ssh').length;
    const ms = report.results.map((r) => r.ms).sort((a, b) => a - b);
    console.log(
      `named    ${count} open ports (half Redis-like, half SSH-like), --timeout ${timeoutMs} ` +
        `--concurrency ${concurrency}: ${wall.toFixed(0)} ms, ${ok}/${count} named; per port median ` +
        `${ms[Math.floor(ms.length / 2)] ?? NaN} ms, max ${ms.at(-1) ?? NaN} ms`,
    );
  } finally {
    for (const s of servers) s.server.close();
  }
}

async function dropped(count: number, concurrency: number, timeoutMs: number): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('dropped  skipped: DROP rules need root');
    return;
  }
  // Listening, so no other process can take the ports while they are DROP-ed.
  const servers = await Promise.all(Array.from({ length: count }, () => serve(() => undefined)));
  const rule = (port: number): string[] => ['INPUT', '-i', 'lo', '-p', 'tcp', '--dport', String(port), '-j', 'DROP'];
  for (const s of servers) execFileSync('iptables', ['-w', '-I', ...rule(s.port)]);
  try {
    const t0 = monotonic();
    const report = await scan(['127.0.0.1'], { ports: servers.map((s) => s.port), timeoutMs, concurrency });
    const wall = monotonic() - t0;
    const filtered = report.results.filter((r) => r.state === 'filtered').length;
    const bound = timeoutMs * Math.ceil(count / concurrency) + 1000;
    console.log(
      `dropped  ${count} DROP-ed ports, --timeout ${timeoutMs} --concurrency ${concurrency}: ` +
        `${wall.toFixed(0)} ms (bound ${bound} ms), ${filtered}/${count} filtered`,
    );
  } finally {
    for (const s of servers) execFileSync('iptables', ['-w', '-D', ...rule(s.port)]);
    for (const s of servers) s.server.close();
  }
}

await named(200, 50, 2000);
await dropped(40, 10, 1000);
await dropped(40, 50, 1000);
