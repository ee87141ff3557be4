import type { ProbeResult } from '../../../shared/probe';

type Facts = Pick<ProbeResult, 'outcome' | 'phase' | 'detail' | 'address' | 'port' | 'http' | 'tls'> & {
  host: string;
  timeoutMs: number;
};

const where = (f: Facts): string => {
  const addr = f.address ?? f.host;
  const shown = addr.includes(':') ? `[${addr}]` : addr;
  return f.port ? `${shown}:${f.port}` : shown;
};

/** One line a person can act on, for every way a check can end. */
export function diagnose(f: Facts): string {
  switch (f.outcome) {
    case 'ok':
      if (f.http) return `${where(f)} answered HTTP ${f.http.status}; the rules passed.`;
      if (f.tls) return `${where(f)} completed a TLS handshake; certificate valid for ${f.tls.daysLeft} more days.`;
      return `${where(f)} accepts connections.`;
    case 'refused':
      return `Nothing is listening on ${where(f)}, or a firewall REJECT rule answers for it: check that the service runs and is bound to this address and port.`;
    case 'timeout':
      if (f.phase === 'connect')
        return `No answer from ${where(f)} within ${f.timeoutMs} ms: a firewall is dropping packets, or the host is down or overloaded. If other ports on this host answer, suspect a firewall rule.`;
      return `${where(f)} accepted the connection but did not answer within ${f.timeoutMs} ms: the service is hung or overloaded.`;
    case 'dns':
      if (/NXDOMAIN|no address records/.test(f.detail))
        return `The name ${f.host} does not resolve: check its spelling and its DNS records.`;
      if (/timeout|unreachable/.test(f.detail))
        return `The DNS resolver did not answer for ${f.host}: check the resolver address and this machine's network.`;
      return `DNS could not resolve ${f.host} (${f.detail}): check the DNS server.`;
    case 'unreachable':
      return `There is no route to ${where(f)} from here: the host or its network is down, or routing/VPN is missing.`;
    case 'reset':
      return `${where(f)} reset the connection: the service is crashing, at its connection limit, or a firewall sends resets.`;
    case 'tls':
      return `TLS failed on ${where(f)}: ${f.detail}. Clients will refuse this connection.`;
    case 'protocol':
      return `${where(f)} answered, but not as expected: ${f.detail}.`;
    case 'error':
      return `The check could not run: ${f.detail}.`;
  }
}
