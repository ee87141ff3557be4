import { systemClock, type Clock } from './clock';
import type { EngineEvent } from './engine';

export interface EventBatcher {
  push(event: EngineEvent): void;
  /** Delivers what is waiting now, without waiting for the timer. */
  flush(): void;
  /** Drops what is waiting and stops the timer. */
  dispose(): void;
}

export interface EventBatchOptions {
  /** At most one delivery per this many milliseconds. */
  intervalMs?: number;
  clock?: Pick<Clock, 'setTimer' | 'clearTimer'>;
}

export const DEFAULT_BATCH_MS = 200;

/**
 * Gathers engine events for a screen (the window, a WebSocket client) so a busy engine cannot flood
 * it. A screen only needs each monitor's latest result, so a newer result replaces the older one;
 * every other event is kept. The order is kept too, a replaced result moving to where its
 * replacement arrived: a listener that applies each event's state in turn ends on the newest.
 */
export function eventBatcher(deliver: (events: EngineEvent[]) => void, options: EventBatchOptions = {}): EventBatcher {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? DEFAULT_BATCH_MS;
  let slots: (EngineEvent | undefined)[] = [];
  const resultSlot = new Map<string, number>();
  let timer: unknown;

  const flush = (): void => {
    if (timer !== undefined) clock.clearTimer(timer);
    timer = undefined;
    const events = slots.filter((e) => e !== undefined);
    slots = [];
    resultSlot.clear();
    if (events.length > 0) deliver(events);
  };

  return {
    push(event) {
      if (event.type === 'result') {
        const older = resultSlot.get(event.monitorId);
        if (older !== undefined) slots[older] = undefined;
        resultSlot.set(event.monitorId, slots.length);
      }
      slots.push(event);
      timer ??= clock.setTimer(flush, intervalMs);
    },
    flush,
    dispose() {
      if (timer !== undefined) clock.clearTimer(timer);
      timer = undefined;
      slots = [];
      resultSlot.clear();
    },
  };
}
