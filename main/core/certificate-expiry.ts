import type { ProbeResult } from '../../shared/probe';

/** Days before expiry at which a passing check warns; the largest makes the monitor degraded. */
export const DEFAULT_CERT_WARN_DAYS = [30, 14, 7] as const;

/**
 * Why a passing check is degraded by its certificate, or undefined: a certificate that will
 * expire within the warning window is a problem to fix now, before clients start refusing it.
 */
export function certificateCause(result: Pick<ProbeResult, 'tls'>, warnDays: readonly number[]): string | undefined {
  const days = result.tls?.daysLeft;
  if (days === undefined || warnDays.length === 0) return undefined;
  const threshold = [...warnDays].sort((a, b) => a - b).find((d) => days <= d);
  if (threshold === undefined) return undefined;
  const when = result.tls?.validTo.slice(0, 10) ?? '';
  const left =
    days < 0
      ? `expired ${-days} day${days === -1 ? '' : 's'} ago`
      : days === 0
        ? 'expires today'
        : `expires in ${days} day${days === 1 ? '' : 's'}`;
  return `certificate ${left} (${when}), within the ${threshold}-day warning`;
}
