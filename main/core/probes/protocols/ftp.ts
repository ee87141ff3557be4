import { ProbeFailure } from '../failure';
import { printable, type Conversation } from './conversation';
import { quoteReply, readReply, type NumericReply } from './numeric-reply';
import type { DialogueOutcome, ServiceCheck } from './types';

// RFC 959 4.2: the lines inside a multi-line reply may be any text.
const reply = (conv: Conversation, what: string): Promise<NumericReply> => readReply(conv, what, false);

/**
 * 220 greeting (after a 120 "ready in n minutes", if any), FEAT; with STARTTLS asked for,
 * AUTH TLS -> 234 -> TLS (RFC 4217); then QUIT. Implicit TLS (990) is done before this.
 */
export const ftp: ServiceCheck = {
  id: 'ftp',
  name: 'FTP',
  talk: async (conv, ctx): Promise<DialogueOutcome> => {
    let greeting = await reply(conv, 'a 220 greeting');
    if (greeting.code === 120) greeting = await reply(conv, 'a 220 greeting');
    if (greeting.code !== 220)
      throw new ProbeFailure(
        'protocol',
        'greeting',
        greeting.code >= 400
          ? `the server refused the session: ${quoteReply(greeting)}`
          : `expected a 220 greeting, got ${quoteReply(greeting)}`,
      );
    // SMTP greets with 220 too; its banner or its enhanced status codes (RFC 3463) give it away.
    if (/\bE?SMTP\b/i.test(greeting.first) && !/\bFTP\b/i.test(greeting.first))
      throw new ProbeFailure(
        'protocol',
        'greeting',
        `expected an FTP server, got an SMTP greeting: ${quoteReply(greeting)}`,
      );
    conv.phase = 'response';
    conv.send('FEAT\r\n');
    const feat = await reply(conv, 'a reply to FEAT');
    if (/^\d{3}[ -][245]\.\d{1,3}\.\d{1,3}\b/.test(feat.first))
      throw new ProbeFailure(
        'protocol',
        'response',
        `expected an FTP server, got an SMTP reply to FEAT: ${quoteReply(feat)}`,
      );
    const features = feat.code === 211 ? feat.lines.slice(1, -1).map((l) => l.trim().toUpperCase()) : [];
    const offered = features.some((f) => /^AUTH\b.*\bTLS\b/.test(f));
    const facts: Record<string, string> = {
      greeting: printable(greeting.first, 120),
      starttls: offered ? 'offered' : 'not offered',
    };
    let detail = printable(greeting.first, 120);
    if (ctx.starttls) {
      // Some servers answer AUTH TLS without listing it in FEAT, so ask whatever FEAT said.
      conv.send('AUTH TLS\r\n');
      const auth = await reply(conv, 'a reply to AUTH TLS');
      if (auth.code !== 234)
        throw new ProbeFailure('tls', 'response', `the server refused AUTH TLS: ${quoteReply(auth)}`);
      await ctx.upgrade();
      conv.phase = 'response';
      detail += ', AUTH TLS';
    }
    conv.send('QUIT\r\n');
    // The service has answered; a server that drops the line instead of saying 221 is no failure.
    await reply(conv, 'a reply to QUIT').catch(() => undefined);
    return { detail, facts };
  },
};
