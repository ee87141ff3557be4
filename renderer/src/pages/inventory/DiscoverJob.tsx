import { useCallback, useEffect, useState } from 'react';
import type { DiscoveredPort, DiscoveryStatus } from '../../../../shared/api';
import { api } from '../../api/client';

/** How often a running discovery is asked for its progress. */
const POLL_MS = 400;
/** How often progress is read out while it runs: every tick would drown out everything else. */
const ANNOUNCE_MS = 5000;

/** The discovery this window started, kept across page changes so coming back picks it up again. */
let remembered: string | undefined;

export interface FieldErrors {
  host?: string;
  ports?: string;
}

export interface Discovery {
  status: DiscoveryStatus | undefined;
  /** Every port finished so far, in the order they finished. */
  results: DiscoveredPort[];
  /** A problem with what was asked, by the field it concerns. */
  fieldErrors: FieldErrors;
  /** Any other problem starting, polling or cancelling, in the service's words. */
  error: string | undefined;
  /** The summary read out politely: at the start, every few seconds, and at the end. */
  announcement: string;
  starting: boolean;
  cancelling: boolean;
  start: (host: string, ports: string) => Promise<void>;
  cancel: () => Promise<void>;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "1 closed, 2 filtered": the ports that propose nothing, zero counts left out. */
export function quietSummary(results: readonly DiscoveredPort[]): string {
  const closed = results.filter((r) => r.state === 'closed').length;
  const filtered = results.filter((r) => r.state === 'filtered').length;
  return [closed ? `${closed} closed` : '', filtered ? `${filtered} filtered` : ''].filter(Boolean).join(', ');
}

function summary(s: DiscoveryStatus, results: readonly DiscoveredPort[]): string {
  const open = results.filter((r) => r.state === 'open').length;
  if (s.state === 'running') return `Scanned ${s.scanned} of ${plural(s.total, 'port')}, ${open} open so far.`;
  if (s.state === 'failed') return `Discovery of ${s.host} failed.`;
  const quiet = quietSummary(results);
  const found = `${open} open${quiet ? `, ${quiet}` : ''}; ${plural(s.proposals.length, 'monitor')} proposed.`;
  return s.state === 'cancelled'
    ? `Discovery cancelled after ${s.scanned} of ${plural(s.total, 'port')}: ${found}`
    : `Discovery of ${s.host} finished, ${plural(s.total, 'port')}: ${found}`;
}

/** An error about the host or the ports goes to its field ("host: …", "ports: …"). */
function split(error: string): { fields: FieldErrors; other?: string } {
  const m = /^(host|ports): (.*)$/s.exec(error);
  if (m?.[1] === 'host') return { fields: { host: m[2] ?? '' } };
  if (m?.[1] === 'ports') return { fields: { ports: m[2] ?? '' } };
  return { fields: {}, other: error };
}

/** Starts, follows and cancels one discovery through discover.start, discover.status and discover.cancel. */
export function useDiscovery(): Discovery {
  const [id, setId] = useState(remembered);
  const [status, setStatus] = useState<DiscoveryStatus>();
  const [results, setResults] = useState<DiscoveredPort[]>([]);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [announcement, setAnnouncement] = useState('');
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  useEffect(() => {
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seen: DiscoveredPort[] = [];
    let announced = Date.now();
    const poll = async (): Promise<void> => {
      const r = await api.invoke('discover.status', id, seen.length);
      if (stopped) return;
      if (!r.ok) {
        remembered = undefined;
        setError(r.error);
        setCancelling(false);
        return;
      }
      seen = [...seen, ...r.value.results];
      const all = seen;
      setResults(all);
      setStatus(r.value);
      if (r.value.state === 'running') {
        if (Date.now() - announced >= ANNOUNCE_MS) {
          announced = Date.now();
          setAnnouncement(summary(r.value, all));
        }
        timer = setTimeout(() => void poll(), POLL_MS);
        return;
      }
      setCancelling(false);
      setAnnouncement(summary(r.value, all));
      if (r.value.state === 'failed') {
        const { fields, other } = split(r.value.error ?? 'the discovery failed');
        setFieldErrors(fields);
        setError(other);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  const start = useCallback(async (host: string, ports: string): Promise<void> => {
    setStarting(true);
    setError(undefined);
    setFieldErrors({});
    const r = await api.invoke('discover.start', host.trim(), ports);
    setStarting(false);
    if (!r.ok) {
      const { fields, other } = split(r.error);
      setFieldErrors(fields);
      setError(other);
      return;
    }
    remembered = r.value.id;
    setResults([]);
    setStatus(r.value);
    setAnnouncement(`Scanning ${plural(r.value.total, 'port')} of ${r.value.host}…`);
    setId(r.value.id);
  }, []);

  const cancel = useCallback(async (): Promise<void> => {
    if (!id) return;
    setCancelling(true);
    const r = await api.invoke('discover.cancel', id);
    // The next poll shows the discovery stopped, with every result it had.
    if (!r.ok) {
      setCancelling(false);
      setError(r.error);
    }
  }, [id]);

  return { status, results, fieldErrors, error, announcement, starting, cancelling, start, cancel };
}
