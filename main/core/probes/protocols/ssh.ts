import { ProbeFailure } from '../failure';
import { printable, type Conversation } from './conversation';
import type { DialogueOutcome, ServiceCheck } from './types';

/** RFC 4253 4.2: the identification line, CR LF included, is at most 255 bytes. */
const MAX_LINE = 255;
/** Lines a server may send before its identification (RFC 4253 4.2); more is not SSH. */
const MAX_OTHER_LINES = 5;
const EXPECTED = 'an SSH banner ("SSH-2.0-…")';
/** Greetings of other services; the free text allowed before an SSH banner never looks like these. */
const OTHER_GREETING = /^(\d{3}[ -]|\* (OK|PREAUTH|BYE)\b|\+OK\b|-ERR\b|HTTP\/\d)/;

/** One line as sent (latin1, so any byte is shown as itself); a line past the limit is a mismatch. */
async function bannerLine(conv: Conversation): Promise<string> {
  const raw = await conv.read((b) => {
    const i = b.indexOf(0x0a);
    if (i !== -1 && i < MAX_LINE) return i + 1;
    return b.length >= MAX_LINE ? MAX_LINE : undefined;
  }, EXPECTED);
  const text = raw.toString('latin1');
  if (!text.endsWith('\n'))
    throw new ProbeFailure(
      'protocol',
      conv.phase,
      `expected ${EXPECTED}, got a line longer than ${MAX_LINE} bytes: "${printable(text)}"`,
    );
  return text.replace(/\r?\n$/, '');
}

/**
 * Reads the server's identification, `SSH-protoversion-softwareversion [comments]`, skipping
 * the few text lines RFC 4253 allows before it; then says who we are, so the server logs a
 * plain disconnect rather than a client that never identified itself.
 */
export const ssh: ServiceCheck = {
  id: 'ssh',
  name: 'SSH banner',
  talk: async (conv): Promise<DialogueOutcome> => {
    const others: string[] = [];
    let line: string;
    for (;;) {
      try {
        line = await bannerLine(conv);
      } catch (e) {
        // Text and then silence or a close: another line protocol (SMTP, FTP, …) is on the port.
        const quiet = e instanceof ProbeFailure && (e.outcome === 'timeout' || e.outcome === 'reset');
        if (!others.length || !quiet) throw e;
        throw new ProbeFailure('protocol', conv.phase, `expected ${EXPECTED}, got "${printable(others[0] ?? '')}"`);
      }
      if (line.startsWith('SSH-')) break;
      // Say so at once rather than waiting out the timeout for a banner that will not come.
      if (OTHER_GREETING.test(line))
        throw new ProbeFailure('protocol', conv.phase, `expected ${EXPECTED}, got "${printable(line)}"`);
      // Lines before the banner are text; control bytes mean this is not SSH at all.
      if (/[^\x20-\x7e\t\x80-\xff]/.test(line))
        throw new ProbeFailure('protocol', conv.phase, `expected ${EXPECTED}, got "${printable(line)}"`);
      if (others.length >= MAX_OTHER_LINES)
        throw new ProbeFailure(
          'protocol',
          conv.phase,
          `expected ${EXPECTED} within ${MAX_OTHER_LINES + 1} lines, got "${printable(others[0] ?? line)}", …`,
        );
      others.push(line);
    }
    const m = /^SSH-([^-\s]+)-(\S+)(?: (.*))?$/.exec(line);
    if (!m) throw new ProbeFailure('protocol', conv.phase, `expected ${EXPECTED}, got "${printable(line)}"`);
    const [, proto = '', softwareVersion = '', comments] = m;
    const sv = /^([^_]+)_(\d.*)$/.exec(softwareVersion);
    const facts: Record<string, string> = {
      protocol: printable(proto, 10),
      software: printable(sv?.[1] ?? softwareVersion, 60),
    };
    if (sv?.[2]) facts.version = printable(sv[2], 40);
    if (comments) facts.comments = printable(comments, 80);
    const detail = printable(line, 120);
    if (proto === '2.0' || proto === '1.99') {
      conv.phase = 'response';
      conv.send('SSH-2.0-Portwatch\r\n');
      return { detail, facts };
    }
    if (proto.startsWith('1.')) {
      const degraded = `only SSH protocol ${facts.protocol}, obsolete and insecure`;
      return { detail: `${detail} (${degraded})`, facts, degraded };
    }
    throw new ProbeFailure('protocol', conv.phase, `expected ${EXPECTED}, got "${printable(line)}"`);
  },
};
