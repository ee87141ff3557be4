import { Socket } from 'node:net';
import type { AddressFamily } from '../../../shared/probe';
import type { PhaseTimer } from './clock';
import { ProbeFailure, onAbort, socketFailure } from './failure';
import { resolveHost, type ResolvedAddress } from './resolve';
import type { ProbeTarget, ResolveOptions } from './types';

export interface Connection {
  socket: Socket;
  address: string;
  family: AddressFamily;
}

/** Where the last attempt went, kept so a failed check can still say which address it tried. */
export interface AttemptLog {
  address?: string;
  family?: AddressFamily;
}

function connectOnce(addr: ResolvedAddress, port: number, signal: AbortSignal, timer: PhaseTimer): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = new Socket();
    const stopAbort = onAbort(
      signal,
      () => timer.phase,
      (failure) => {
        socket.destroy();
        reject(failure);
      },
    );
    // Already aborted: onAbort has rejected, and connect() would reopen the destroyed socket,
    // leaving a connection nobody owns.
    if (signal.aborted) return;
    socket.once('error', (err) => {
      stopAbort();
      socket.destroy();
      reject(socketFailure(err, 'connect'));
    });
    socket.once('connect', () => {
      stopAbort();
      socket.removeAllListeners('error');
      // An error before the next owner listens must not crash the process; owners add their own.
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.connect({ host: addr.address, port, family: addr.family });
  });
}

/**
 * Resolves the target and connects to its addresses in order until one accepts. A refused or
 * unreachable address moves on to the next; the first failure is the one reported, since it is
 * the address the system prefers.
 */
export async function openConnection(
  target: ProbeTarget,
  options: ResolveOptions,
  timer: PhaseTimer,
  signal: AbortSignal,
  budgetMs: number,
  log: AttemptLog,
): Promise<Connection> {
  timer.begin('resolve');
  const addresses = await resolveHost(target.host, options, signal, budgetMs);
  timer.begin('connect');
  let first: { failure: ProbeFailure; addr: ResolvedAddress } | undefined;
  for (const addr of addresses) {
    log.address = addr.address;
    log.family = addr.family;
    try {
      const socket = await connectOnce(addr, target.port, signal, timer);
      return { socket, address: addr.address, family: addr.family };
    } catch (e) {
      const failure = socketFailure(e, 'connect');
      if (signal.aborted || failure.outcome === 'timeout') throw failure;
      first ??= { failure, addr };
    }
  }
  if (!first) throw new ProbeFailure('error', 'connect', 'no address to connect to');
  log.address = first.addr.address;
  log.family = first.addr.family;
  throw first.failure;
}
