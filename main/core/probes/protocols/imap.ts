import { ProbeFailure } from '../failure';
import { MAX_REPLY_BYTES, printable, type Conversation } from './conversation';
import type { DialogueOutcome, ServiceCheck } from './types';

interface Tagged {
  /** The untagged lines before the tagged one, without their "* ". */
  untagged: string[];
  /** OK, NO or BAD. */
  status: string;
  line: string;
}

/** Reads untagged lines until the tagged status for `tag`; bounded by MAX_REPLY_BYTES in all. */
async function tagged(conv: Conversation, tag: string, what: string): Promise<Tagged> {
  const untagged: string[] = [];
  let size = 0;
  for (;;) {
    const line = await conv.line(what);
    size += line.length + 2;
    if (size > MAX_REPLY_BYTES)
      throw new ProbeFailure('protocol', conv.phase, `expected ${what}, got more than ${MAX_REPLY_BYTES} bytes`);
    const status = new RegExp(`^${tag} (OK|NO|BAD)\\b`, 'i').exec(line)?.[1];
    if (status) return { untagged, status: status.toUpperCase(), line };
    if (!line.startsWith('* '))
      throw new ProbeFailure('protocol', conv.phase, `expected ${what}, got "${printable(line)}"`);
    untagged.push(line.slice(2));
  }
}

/** Capability names from `CAPABILITY a b c` (a response code or an untagged response). */
const capabilities = (text: string): string[] | undefined =>
  /^\[?CAPABILITY ([^\]]*)/i
    .exec(text)?.[1]
    ?.split(' ')
    .filter(Boolean)
    .map((c) => c.toUpperCase());

/**
 * `* OK` (or `* PREAUTH`) greeting; its capabilities, asked for when the greeting does not list
 * them; with STARTTLS asked for, `a1 STARTTLS` -> `a1 OK` -> TLS; then `a2 LOGOUT`.
 */
export const imap: ServiceCheck = {
  id: 'imap',
  name: 'IMAP',
  talk: async (conv, ctx): Promise<DialogueOutcome> => {
    const greeting = await conv.line('an IMAP greeting ("* OK")');
    const g = /^\* (OK|PREAUTH|BYE)\b ?(.*)$/i.exec(greeting);
    if (!g)
      throw new ProbeFailure(
        'protocol',
        'greeting',
        `expected an IMAP greeting ("* OK"), got "${printable(greeting)}"`,
      );
    const kind = (g[1] ?? '').toUpperCase();
    if (kind === 'BYE')
      throw new ProbeFailure('protocol', 'greeting', `the server refused the session: "${printable(greeting)}"`);
    conv.phase = 'response';
    let caps = capabilities(g[2] ?? '');
    if (!caps) {
      conv.send('a0 CAPABILITY\r\n');
      const reply = await tagged(conv, 'a0', 'a reply to CAPABILITY');
      caps = reply.untagged.map(capabilities).find(Boolean) ?? [];
    }
    const offered = caps.includes('STARTTLS');
    const facts: Record<string, string> = {
      greeting: printable(greeting, 120),
      starttls: offered ? 'offered' : 'not offered',
    };
    if (kind === 'PREAUTH') facts.auth = 'preauthenticated';
    let detail = printable(greeting, 120);
    if (ctx.starttls) {
      if (!offered)
        throw new ProbeFailure('tls', 'response', 'STARTTLS was asked for, but the server does not offer it');
      conv.send('a1 STARTTLS\r\n');
      const reply = await tagged(conv, 'a1', 'a reply to STARTTLS');
      if (reply.status !== 'OK')
        throw new ProbeFailure('tls', 'response', `the server refused STARTTLS: "${printable(reply.line)}"`);
      await ctx.upgrade();
      conv.phase = 'response';
      detail += ', STARTTLS';
    }
    conv.send('a2 LOGOUT\r\n');
    // The service has answered; a server that drops the line instead of saying OK is no failure.
    await tagged(conv, 'a2', 'a reply to LOGOUT').catch(() => undefined);
    return { detail, facts };
  },
};
