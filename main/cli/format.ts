import type { CertificateFacts, Phase, ProbeResult } from '../../shared/probe';

const PHASE_LABEL: Record<Phase, string> = {
  resolve: 'resolve',
  connect: 'connect',
  tls: 'tls',
  greeting: 'greeting',
  request: 'request',
  response: 'first byte',
  body: 'body',
};

export const ms = (n: number): string =>
  n < 10 ? `${n.toFixed(2)} ms` : n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`;

const row = (label: string, value: string): string => `  ${label.padEnd(12)}${value}`;

function certificateRows(c: CertificateFacts): string[] {
  const trust = c.trusted ? 'trusted' : `NOT trusted: ${c.trustError ?? 'unknown reason'}`;
  return [
    row('certificate', c.subject || '(no subject)'),
    row('issuer', c.issuer || '(no issuer)'),
    ...(c.altNames.length ? [row('names', c.altNames.join(', '))] : []),
    row('valid', `${c.validFrom} to ${c.validTo} (${c.daysLeft} days left)`),
    row('chain', trust),
    row('name match', c.nameMatches ? 'yes' : 'NO'),
    row('protocol', `${c.protocol}, ${c.cipher}`),
  ];
}

/** The human report of one check: verdict first, then the facts behind it. */
export function formatResult(result: ProbeResult, label: string): string {
  const verdict = result.outcome === 'ok' ? 'OK' : `FAILED: ${result.outcome}`;
  const lines = [`${verdict}  ${label}  ${ms(result.ms)}`];
  if (result.address) {
    const fam = result.family ? ` (IPv${result.family})` : '';
    lines.push(row('address', `${result.address}${fam} port ${result.port ?? '?'}`));
  }
  const timings = Object.entries(result.phases).map(([k, v]) => `${PHASE_LABEL[k as Phase]} ${ms(v)}`);
  if (timings.length) lines.push(row('timings', timings.join(', ')));
  if (result.outcome !== 'ok') lines.push(row('failed at', PHASE_LABEL[result.phase]));
  if (result.http) {
    const via = result.http.redirects.length ? ` after ${result.http.redirects.length} redirect(s)` : '';
    lines.push(row('http', `${result.http.status} from ${result.http.url}${via}`));
  }
  if (result.tls) lines.push(...certificateRows(result.tls));
  for (const [k, v] of Object.entries(result.facts ?? {})) lines.push(row(k, v));
  lines.push(row('detail', result.detail));
  lines.push(row('diagnosis', result.diagnosis));
  for (const f of result.findings ?? []) lines.push(row('SECURITY', f));
  return lines.join('\n');
}
