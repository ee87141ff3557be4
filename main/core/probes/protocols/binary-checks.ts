import { amqp } from './amqp';
import { mongodb } from './mongodb';
import { mqtt } from './mqtt';
import { mysql } from './mysql';
import { postgres } from './postgres';
import type { ServiceCheck } from './types';

/** Protocols with binary framing. */
export const BINARY_CHECKS: Record<string, ServiceCheck> = { postgres, mysql, amqp, mqtt, mongodb };
