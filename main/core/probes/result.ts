import type { CertificateFacts, HttpFacts, ProbeResult } from '../../../shared/probe';
import type { PhaseTimer } from './clock';
import type { AttemptLog } from './connect';
import { diagnose } from './diagnosis';
import { ProbeFailure, abortFailure, errorMessage } from './failure';
import type { ProbeContext, ProbeTarget } from './types';

export interface Extras {
  detail?: string;
  tls?: CertificateFacts;
  http?: HttpFacts;
  facts?: Record<string, string>;
  degraded?: string;
}

function build(
  target: ProbeTarget,
  ctx: ProbeContext,
  timer: PhaseTimer,
  log: AttemptLog,
  core: Pick<ProbeResult, 'outcome' | 'phase' | 'detail'>,
  extras: Extras,
): ProbeResult {
  timer.stop();
  const result: ProbeResult = {
    ...core,
    ms: timer.elapsed(),
    phases: timer.phases(),
    port: target.port,
    diagnosis: '',
    startedAt: timer.startedAt,
  };
  if (log.address !== undefined) result.address = log.address;
  if (log.family !== undefined) result.family = log.family;
  if (extras.tls) result.tls = extras.tls;
  if (extras.http) result.http = extras.http;
  if (extras.facts) result.facts = extras.facts;
  if (extras.degraded) result.degraded = extras.degraded;
  result.diagnosis = diagnose({ ...result, host: target.host, timeoutMs: ctx.timeoutMs });
  return result;
}

export const success = (
  target: ProbeTarget,
  ctx: ProbeContext,
  timer: PhaseTimer,
  log: AttemptLog,
  extras: Extras = {},
): ProbeResult =>
  build(target, ctx, timer, log, { outcome: 'ok', phase: timer.phase, detail: extras.detail ?? 'ok' }, extras);

/** Any throw inside a probe ends here, so a probe never rejects. */
export function failure(
  target: ProbeTarget,
  ctx: ProbeContext,
  timer: PhaseTimer,
  log: AttemptLog,
  err: unknown,
  extras: Extras = {},
): ProbeResult {
  const f =
    err instanceof ProbeFailure
      ? err
      : ctx.signal.aborted
        ? abortFailure(ctx.signal, timer.phase)
        : new ProbeFailure('error', timer.phase, errorMessage(err));
  const withCert = f.tls && !extras.tls ? { ...extras, tls: f.tls } : extras;
  return build(target, ctx, timer, log, { outcome: f.outcome, phase: f.phase, detail: f.detail }, withCert);
}
