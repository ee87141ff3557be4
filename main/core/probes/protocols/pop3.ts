import { ProbeFailure } from '../failure';
import { MAX_REPLY_BYTES, printable, type Conversation } from './conversation';
import type { DialogueOutcome, ServiceCheck } from './types';

/** One status line: +OK or -ERR. */
async function status(conv: Conversation, what: string): Promise<{ ok: boolean; line: string }> {
  const line = await conv.line(what);
  if (line.startsWith('+OK')) return { ok: true, line };
  if (line.startsWith('-ERR')) return { ok: false, line };
  throw new ProbeFailure('protocol', conv.phase, `expected ${what}, got "${printable(line)}"`);
}

/** CAPA (RFC 2449): the capability lines up to ".", or none when the server does not know CAPA. */
async function capa(conv: Conversation): Promise<string[]> {
  conv.send('CAPA\r\n');
  const first = await status(conv, 'a reply to CAPA');
  if (!first.ok) return [];
  const caps: string[] = [];
  let size = 0;
  for (;;) {
    const line = await conv.line('the end of the CAPA list (".")');
    if (line === '.') return caps;
    size += line.length + 2;
    if (size > MAX_REPLY_BYTES)
      throw new ProbeFailure(
        'protocol',
        conv.phase,
        `expected the end of the CAPA list, got more than ${MAX_REPLY_BYTES} bytes`,
      );
    caps.push(line.toUpperCase());
  }
}

/** `+OK` greeting, CAPA; with STARTTLS asked for, STLS -> +OK -> TLS; then QUIT. */
export const pop3: ServiceCheck = {
  id: 'pop3',
  name: 'POP3',
  talk: async (conv, ctx): Promise<DialogueOutcome> => {
    const greeting = await conv.line('a POP3 greeting ("+OK")');
    if (greeting.startsWith('-ERR'))
      throw new ProbeFailure('protocol', 'greeting', `the server refused the session: "${printable(greeting)}"`);
    if (!greeting.startsWith('+OK'))
      throw new ProbeFailure('protocol', 'greeting', `expected a POP3 greeting ("+OK"), got "${printable(greeting)}"`);
    conv.phase = 'response';
    const caps = await capa(conv);
    const offered = caps.includes('STLS');
    const facts: Record<string, string> = {
      greeting: printable(greeting, 120),
      starttls: offered ? 'offered' : 'not offered',
    };
    let detail = printable(greeting, 120);
    if (ctx.starttls) {
      if (!offered)
        throw new ProbeFailure('tls', 'response', 'STARTTLS (STLS) was asked for, but the server does not offer it');
      conv.send('STLS\r\n');
      const reply = await status(conv, 'a reply to STLS');
      if (!reply.ok) throw new ProbeFailure('tls', 'response', `the server refused STLS: "${printable(reply.line)}"`);
      await ctx.upgrade();
      conv.phase = 'response';
      detail += ', STLS';
    }
    conv.send('QUIT\r\n');
    // The service has answered; a server that drops the line instead of saying +OK is no failure.
    await status(conv, 'a reply to QUIT').catch(() => undefined);
    return { detail, facts };
  },
};
