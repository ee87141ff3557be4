import { ProbeFailure } from '../failure';
import { printable } from './conversation';
import type { ServiceCheck } from './types';

/** PING -> +PONG. An error reply (NOAUTH, …) still proves Redis answers: alive, needs a password. */
export const redis: ServiceCheck = {
  id: 'redis',
  name: 'Redis PING',
  talk: async (conv) => {
    conv.phase = 'response';
    conv.send('PING\r\n');
    const line = await conv.line('a reply to PING');
    if (line === '+PONG') return { detail: 'PONG' };
    if (line.startsWith('-NOAUTH') || line.startsWith('-ERR') || line.startsWith('-WRONGPASS'))
      return {
        detail: `alive, authentication required (${printable(line.slice(1), 60)})`,
        facts: { auth: 'required' },
      };
    if (line.startsWith('-')) return { detail: `alive, answered ${printable(line.slice(1), 60)}` };
    throw new ProbeFailure('protocol', 'response', `expected "+PONG" from Redis, got "${printable(line)}"`);
  },
};
