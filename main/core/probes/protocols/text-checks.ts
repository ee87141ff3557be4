import { redis } from './redis';
import type { ServiceCheck } from './types';

/** Line-based protocols: the server or the client speaks first in plain text. */
export const TEXT_CHECKS: Record<string, ServiceCheck> = { redis };
