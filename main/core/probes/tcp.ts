import { PhaseTimer } from './clock';
import { openConnection, type AttemptLog } from './connect';
import { failure, success } from './result';
import type { ProbeFn } from './types';

/** Passes when the port accepts a TCP connection; the connection is closed at once. */
export const tcpProbe: ProbeFn<'tcp'> = async (target, options, ctx) => {
  const timer = new PhaseTimer();
  const log: AttemptLog = {};
  try {
    const { socket } = await openConnection(target, options, timer, ctx.signal, ctx.timeoutMs, log);
    timer.stop();
    socket.destroy();
    return success(target, ctx, timer, log, { detail: 'connected' });
  } catch (e) {
    return failure(target, ctx, timer, log, e);
  }
};
