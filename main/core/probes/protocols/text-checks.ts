import { ftp } from './ftp';
import { imap } from './imap';
import { memcached } from './memcached';
import { pop3 } from './pop3';
import { redis } from './redis';
import { smtp } from './smtp';
import { ssh } from './ssh';
import type { ServiceCheck } from './types';

/** Line-based protocols: the server or the client speaks first in plain text. */
export const TEXT_CHECKS: Record<string, ServiceCheck> = { redis, memcached, ssh, smtp, imap, pop3, ftp };
