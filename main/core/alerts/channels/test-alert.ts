import type { Alert } from '../types';

/**
 * The alert behind "send a test": harmless (kind 'test', severity info) and named as a test, so
 * whoever receives it knows nothing is wrong. Its id carries the time, so two tests a minute apart
 * are not taken for a replay of the same event.
 */
export function testAlert(now: number = Date.now()): Alert {
  return {
    id: `test-${now}`,
    kind: 'test',
    severity: 'info',
    tier: 3,
    at: now,
    title: 'Portwatch test message',
    body: 'This is a test alert from Portwatch. If you can read it, this channel delivers alerts. Nothing is down.',
    subjects: [],
  };
}
