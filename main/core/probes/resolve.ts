import { lookup } from 'node:dns/promises';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AddressFamily } from '../../../shared/probe';
import { ProbeFailure, abortFailure, errorCode, errorMessage } from './failure';
import type { ResolveOptions, ResolverAddress } from './types';

export interface ResolvedAddress {
  address: string;
  family: AddressFamily;
}

/** DNS error codes in words a person recognises; the detail keeps the code for searching. */
const dnsWords: Record<string, string> = {
  ENOTFOUND: 'no such name (NXDOMAIN)',
  ENODATA: 'the name exists but has no address records',
  ESERVFAIL: 'server failure (SERVFAIL)',
  EREFUSED: 'the DNS server refused the query',
  ETIMEOUT: 'resolver timeout',
  ECONNREFUSED: 'resolver unreachable: connection refused',
  EAI_AGAIN: 'temporary resolver failure (resolver timeout or server failure)',
  EBADRESP: 'malformed answer from the DNS server',
  EBADNAME: 'malformed host name',
  ECANCELLED: 'resolver timeout',
};

function dnsFailure(err: unknown, host: string, via: string): ProbeFailure {
  const code = errorCode(err);
  const words = (code && dnsWords[code]) || errorMessage(err);
  return new ProbeFailure('dns', 'resolve', `${host}: ${words}${code ? ` (${code})` : ''} via ${via}`);
}

const describeResolver = (r: ResolverAddress | undefined): string =>
  r ? (r.host.includes(':') ? `[${r.host}]:${r.port}` : `${r.host}:${r.port}`) : 'the system resolver';

/** Settles with the promise, or rejects with a resolve-phase failure when the signal fires first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onAbortDo?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbortDo?.();
      reject(abortFailure(signal, 'resolve'));
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

async function viaSystem(
  host: string,
  family: AddressFamily | undefined,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  // getaddrinfo cannot be cancelled; the race only stops waiting for it.
  const found = await raceAbort(lookup(host, { all: true, order: 'verbatim', family: family ?? 0 }), signal);
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

async function viaServer(
  host: string,
  family: AddressFamily | undefined,
  server: ResolverAddress,
  signal: AbortSignal,
  budgetMs: number,
): Promise<ResolvedAddress[]> {
  // One try, and our own deadline on top: the resolver's timeout is loose.
  const resolver = new Resolver({ timeout: Math.max(1, Math.round(budgetMs)), tries: 1 });
  resolver.setServers([describeResolver(server)]);
  const ask = async (fam: AddressFamily): Promise<ResolvedAddress[] | Error> => {
    try {
      const list = fam === 4 ? await resolver.resolve4(host) : await resolver.resolve6(host);
      return list.map((address) => ({ address, family: fam }));
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  };
  const families: AddressFamily[] = family ? [family] : [4, 6];
  const answers = await raceAbort(Promise.all(families.map(ask)), signal, () => resolver.cancel());
  const found = answers.flatMap((a) => (a instanceof Error ? [] : a));
  if (found.length > 0) return found;
  const errors = answers.filter((a): a is Error => a instanceof Error);
  // An NXDOMAIN on either family settles it; otherwise report the most telling error.
  const rank = ['ENOTFOUND', 'ESERVFAIL', 'EREFUSED', 'ECONNREFUSED', 'ETIMEOUT', 'ECANCELLED', 'ENODATA'];
  errors.sort((a, b) => rankOf(rank, a) - rankOf(rank, b));
  throw errors[0] ?? new Error('no answer');
}

const rankOf = (rank: string[], e: Error): number => {
  const i = rank.indexOf(errorCode(e) ?? '');
  return i === -1 ? rank.length : i;
};

/** Resolves a host to the addresses to try, in order. An IP literal is used as it is. */
export async function resolveHost(
  host: string,
  options: ResolveOptions,
  signal: AbortSignal,
  budgetMs: number,
): Promise<ResolvedAddress[]> {
  const literal = isIP(host);
  if (literal !== 0) {
    if (options.family && options.family !== literal) {
      throw new ProbeFailure(
        'error',
        'resolve',
        `${host} is an IPv${literal} address but IPv${options.family} was required`,
      );
    }
    return [{ address: host, family: literal === 6 ? 6 : 4 }];
  }
  const via = describeResolver(options.resolver);
  try {
    const found = options.resolver
      ? await viaServer(host, options.family, options.resolver, signal, budgetMs)
      : await viaSystem(host, options.family, signal);
    if (found.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
    return found;
  } catch (e) {
    if (e instanceof ProbeFailure) {
      // A deadline during resolution is the resolver's fault; name it.
      throw new ProbeFailure(e.outcome, e.phase, `${host}: ${e.detail} via ${via}`);
    }
    throw dnsFailure(e, host, via);
  }
}
