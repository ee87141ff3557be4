import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts a TCP server on a free loopback port; every connection is handed to `onConnection`. */
export async function listen(
  onConnection: (socket: Socket) => void = () => undefined,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const close = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { server, port, close };
}

/** A loopback port with nothing listening on it (bound, read, and released). */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const { port, close } = await listen(undefined, host);
  await close();
  return port;
}

/**
 * Drops every packet to a loopback TCP port (iptables on lo, INPUT, so the SYN goes
 * unanswered as across a firewall). Returns the function that removes the rule.
 */
export function dropPort(port: number): () => void {
  const rule = ['INPUT', '-i', 'lo', '-p', 'tcp', '--dport', String(port), '-j', 'DROP'];
  execFileSync('iptables', ['-w', '-I', ...rule]);
  return () => execFileSync('iptables', ['-w', '-D', ...rule]);
}

/** A UDP socket on loopback that reads DNS queries and never answers. */
export async function silentUdp(): Promise<{ port: number; close: () => Promise<void> }> {
  const socket: UdpSocket = createSocket('udp4');
  socket.on('message', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  return { port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

/**
 * A DNS server that answers every query with the given response code (2 = SERVFAIL): the
 * failing upstream that dnsmasq cannot be made to imitate.
 */
export async function dnsAnswering(rcode: number): Promise<{ port: number; close: () => Promise<void> }> {
  const socket: UdpSocket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    if (query.length < 12) return;
    const reply = Buffer.from(query);
    // QR=1 (response), keep opcode and RD; RA=1; the chosen RCODE; no answers.
    reply[2] = 0x80 | ((query[2] ?? 0) & 0x79);
    reply[3] = 0x80 | (rcode & 0x0f);
    reply.writeUInt16BE(0, 6);
    reply.writeUInt16BE(0, 8);
    reply.writeUInt16BE(0, 10);
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  return { port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

export interface Dnsmasq {
  port: number;
  stop: () => Promise<void>;
}

/**
 * A real DNS server (dnsmasq) on a loopback port, authoritative for `.test` only: names in
 * `records` resolve, any other .test name is NXDOMAIN, and nothing is forwarded anywhere.
 */
export async function startDnsmasq(records: Record<string, string[]>): Promise<Dnsmasq> {
  // dnsmasq binds the port on UDP and TCP; a port free on one may be taken on the other by a
  // parallel test, so try a few.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDnsmasqOn(await freeUdpPort(), records);
    } catch (e) {
      if (attempt >= 5 || !/Address already in use/.test(String(e))) throw e;
    }
  }
}

async function startDnsmasqOn(port: number, records: Record<string, string[]>): Promise<Dnsmasq> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-dnsmasq-'));
  const args = [
    '--keep-in-foreground',
    '--no-daemon',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--bind-interfaces',
    '--listen-address=127.0.0.1',
    `--port=${port}`,
    '--local=/test/',
    `--pid-file=${join(dir, 'pid')}`,
    '--user=root',
    ...Object.entries(records).flatMap(([name, addrs]) => addrs.map((a) => `--host-record=${name},${a}`)),
  ];
  const child: ChildProcess = spawn('dnsmasq', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForDns(port, child, () => stderr);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A port free on both UDP and TCP, below the ephemeral range (32768+) so that the many client
 * connections of parallel tests cannot be holding it.
 */
async function freeUdpPort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const udp = createSocket('udp4');
    const udpOk = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    if (udpOk) await new Promise<void>((resolve) => udp.close(() => resolve()));
    else udp.close();
    if (!udpOk) continue;
    const tcp = createServer();
    const tcpOk = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (tcpOk) {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      return port;
    }
  }
}

async function waitForDns(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const { Resolver } = await import('node:dns/promises');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited: ${stderr()}`);
    const r = new Resolver({ timeout: 200, tries: 1 });
    r.setServers([`127.0.0.1:${port}`]);
    try {
      await r.resolve4('probe-ready.test');
      return;
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOTFOUND' || (e as { code?: string }).code === 'ENODATA') return;
    }
    await new Promise((r2) => setTimeout(r2, 50));
  }
  throw new Error(`dnsmasq did not start on port ${port}: ${stderr()}`);
}

/** Counts the sockets this process holds open, to show a probe leaks none. */
export const openSockets = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length;
