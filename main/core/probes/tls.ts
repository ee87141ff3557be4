import { PhaseTimer } from './clock';
import { certificateProblem } from './certificate';
import { openConnection, type AttemptLog } from './connect';
import { secureChannel } from './handshake';
import { failure, success } from './result';
import type { ProbeFn } from './types';

/** Connects, completes a TLS handshake with SNI and judges the certificate. */
export const tlsProbe: ProbeFn<'tls'> = async (target, options, ctx) => {
  const timer = new PhaseTimer();
  const log: AttemptLog = {};
  try {
    const { socket } = await openConnection(target, options, timer, ctx.signal, ctx.timeoutMs, log);
    const { secure, tls } = await secureChannel(socket, target.host, options, timer, ctx.signal);
    timer.stop();
    secure.destroy();
    const problem = certificateProblem(tls);
    const detail = problem ? `accepted although: ${problem}` : `${tls.protocol}, ${tls.cipher}`;
    return success(target, ctx, timer, log, { tls, detail });
  } catch (e) {
    return failure(target, ctx, timer, log, e);
  }
};
