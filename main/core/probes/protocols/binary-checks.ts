import type { ServiceCheck } from './types';

/** Protocols with binary framing. */
export const BINARY_CHECKS: Record<string, ServiceCheck> = {};
