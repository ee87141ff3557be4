import type { CertificateFacts } from '../../../shared/probe';
import { PhaseTimer } from './clock';
import { openConnection, type AttemptLog } from './connect';
import { ProbeFailure } from './failure';
import { secureChannel } from './handshake';
import { Conversation } from './protocols/conversation';
import { SERVICE_CHECKS } from './protocols/index';
import { failure, success } from './result';
import type { ProbeFn } from './types';

/**
 * Proves the service answers, not just the port: connects (TLS first when implicit), then runs
 * the service's own exchange without credentials and reports what it said.
 */
export const serviceProbe: ProbeFn<'service'> = async (target, options, ctx) => {
  const timer = new PhaseTimer();
  const log: AttemptLog = {};
  let tls: CertificateFacts | undefined;
  let conv: Conversation | undefined;
  const extras = (): { tls?: CertificateFacts } => (tls ? { tls } : {});
  const check = SERVICE_CHECKS[options.check];
  if (!check) {
    const known = Object.keys(SERVICE_CHECKS).sort().join(', ');
    return failure(
      target,
      ctx,
      timer,
      log,
      new ProbeFailure('error', 'resolve', `no service check named "${options.check}" (known: ${known})`),
    );
  }
  try {
    const { socket } = await openConnection(target, options, timer, ctx.signal, ctx.timeoutMs, log);
    let stream = socket;
    if (options.implicitTls) {
      const channel = await secureChannel(socket, target.host, options, timer, ctx.signal);
      tls = channel.tls;
      stream = channel.secure;
    }
    timer.begin('greeting');
    const c = new Conversation(stream, ctx.signal);
    conv = c;
    const upgrade = async ({ strict = true }: { strict?: boolean } = {}): Promise<CertificateFacts> => {
      // Not strict: read the certificate for its facts, as --insecure would, never refuse it.
      const judged = strict ? options : { ...options, insecure: true };
      const channel = await secureChannel(c.detach(), target.host, judged, timer, ctx.signal);
      tls = channel.tls;
      c.attach(channel.secure);
      timer.begin('greeting');
      return tls;
    };
    const out = await check.talk(c, {
      host: target.host,
      port: target.port,
      starttls: options.starttls === true,
      settings: options.settings ?? {},
      upgrade,
      signal: ctx.signal,
    });
    timer.stop();
    c.close();
    return success(target, ctx, timer, log, {
      ...extras(),
      detail: `${check.name}: ${out.detail}`,
      ...(out.facts ? { facts: out.facts } : {}),
      ...(out.degraded ? { degraded: out.degraded } : {}),
    });
  } catch (e) {
    conv?.close();
    return failure(target, ctx, timer, log, e, extras());
  }
};
