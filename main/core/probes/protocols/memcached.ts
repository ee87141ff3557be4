import { ProbeFailure } from '../failure';
import { printable } from './conversation';
import type { DialogueOutcome, ServiceCheck } from './types';

/**
 * `version` -> `VERSION 1.6.18`. `CLIENT_ERROR unauthenticated` (ASCII authentication, -Y) still
 * proves memcached answers: alive, needs a password.
 */
export const memcached: ServiceCheck = {
  id: 'memcached',
  name: 'memcached version',
  talk: async (conv): Promise<DialogueOutcome> => {
    conv.phase = 'response';
    conv.send('version\r\n');
    const line = await conv.line('a reply to "version"');
    const version = /^VERSION (\S+)$/.exec(line)?.[1];
    if (version) return { detail: `VERSION ${printable(version, 40)}`, facts: { version: printable(version, 40) } };
    if (line.startsWith('CLIENT_ERROR unauthenticated'))
      return { detail: 'alive, authentication required', facts: { auth: 'required' } };
    throw new ProbeFailure('protocol', 'response', `expected "VERSION x.y.z" from memcached, got "${printable(line)}"`);
  },
};
