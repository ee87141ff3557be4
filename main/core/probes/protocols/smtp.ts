import { ProbeFailure } from '../failure';
import { printable, type Conversation } from './conversation';
import { quoteReply, readReply, type NumericReply } from './numeric-reply';
import type { DialogueOutcome, ServiceCheck } from './types';

const HELLO = 'portwatch.invalid';

const reply = (conv: Conversation, what: string): Promise<NumericReply> => readReply(conv, what, true);

/** EHLO, falling back to HELO for a server without ESMTP; returns the extension keywords. */
async function hello(conv: Conversation): Promise<string[]> {
  conv.send(`EHLO ${HELLO}\r\n`);
  const ehlo = await reply(conv, 'a reply to EHLO');
  if (ehlo.code === 250)
    return ehlo.lines
      .slice(1)
      .map((l) => printable(l.toUpperCase(), 60))
      .filter(Boolean);
  if (ehlo.code >= 500) {
    conv.send(`HELO ${HELLO}\r\n`);
    const helo = await reply(conv, 'a reply to HELO');
    if (helo.code === 250) return [];
    throw new ProbeFailure('protocol', 'response', `expected 250 to HELO, got ${quoteReply(helo)}`);
  }
  throw new ProbeFailure('protocol', 'response', `expected 250 to EHLO, got ${quoteReply(ehlo)}`);
}

/**
 * 220 greeting, EHLO and its extensions; with STARTTLS asked for, STARTTLS -> 220 -> TLS ->
 * EHLO again; then QUIT. Implicit TLS (465) is done by the service probe before this.
 */
export const smtp: ServiceCheck = {
  id: 'smtp',
  name: 'SMTP',
  talk: async (conv, ctx): Promise<DialogueOutcome> => {
    const greeting = await reply(conv, 'a 220 greeting');
    if (greeting.code !== 220) {
      const refused = greeting.code >= 400;
      throw new ProbeFailure(
        'protocol',
        'greeting',
        refused
          ? `the server refused the session: ${quoteReply(greeting)}`
          : `expected a 220 greeting, got ${quoteReply(greeting)}`,
      );
    }
    conv.phase = 'response';
    let extensions = await hello(conv);
    const offered = extensions.includes('STARTTLS');
    const facts: Record<string, string> = {
      greeting: printable(greeting.first, 120),
      starttls: offered ? 'offered' : 'not offered',
    };
    let detail = printable(greeting.first, 120);
    if (ctx.starttls) {
      if (!offered)
        throw new ProbeFailure('tls', 'response', `STARTTLS was asked for, but the server does not offer it`);
      conv.send('STARTTLS\r\n');
      const ready = await reply(conv, 'a reply to STARTTLS');
      if (ready.code !== 220)
        throw new ProbeFailure('tls', 'response', `the server refused STARTTLS: ${quoteReply(ready)}`);
      await ctx.upgrade();
      conv.phase = 'response';
      extensions = await hello(conv);
      detail += ', STARTTLS';
    }
    const auth = extensions.find((e) => e.startsWith('AUTH '));
    if (auth) facts.auth = auth.slice(5);
    if (extensions.length) facts.extensions = extensions.map((e) => e.split(' ')[0]).join(' ');
    conv.send('QUIT\r\n');
    // The service has answered; a server that drops the line instead of saying 221 is no failure.
    await reply(conv, 'a reply to QUIT').catch(() => undefined);
    return { detail, facts };
  },
};
