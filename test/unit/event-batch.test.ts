import { describe, expect, it } from 'vitest';
import type { MonitorState, MonitorStatus } from '../../shared/status';
import { VirtualClock } from '../../main/core/clock';
import type { EngineEvent } from '../../main/core/engine';
import { eventBatcher } from '../../main/core/event-batch';

const state = (status: MonitorStatus, since: number): MonitorState => ({
  status,
  since,
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  recent: [],
  flapping: false,
  baselineSamples: 0,
});

const result = (monitorId: string, at: number, status: MonitorStatus = 'up'): EngineEvent => ({
  type: 'result',
  monitorId,
  result: { outcome: 'ok', phase: 'connect', ms: 1, phases: {}, detail: '', diagnosis: '', startedAt: at },
  state: state(status, at),
});

const transition = (monitorId: string, at: number, from: MonitorStatus, to: MonitorStatus): EngineEvent => ({
  type: 'transition',
  monitorId,
  transition: { from, to, at, reason: `${from} to ${to}` },
  state: state(to, at),
});

/** What a screen shows after applying a batch's events in order: each monitor's last state. */
const shown = (events: EngineEvent[]): Map<string, MonitorState> => {
  const screen = new Map<string, MonitorState>();
  for (const e of events) if ('monitorId' in e) screen.set(e.monitorId, e.state);
  return screen;
};

function setup(intervalMs = 200) {
  const clock = new VirtualClock(0);
  const batches: EngineEvent[][] = [];
  const batcher = eventBatcher((events) => batches.push(events), { intervalMs, clock });
  return { clock, batches, batcher };
}

describe('engine event batches for a screen', () => {
  it('turns 1,000 results of 10 monitors in one window into one batch: latest result each, every transition', async () => {
    const { clock, batches, batcher } = setup();
    const transitions: EngineEvent[] = [];
    for (let i = 0; i < 1000; i++) {
      const id = `m${i % 10}`;
      batcher.push(result(id, i, i % 200 < 100 ? 'up' : 'down'));
      if (i % 100 === 95) {
        const t = transition(id, i, 'up', 'down');
        transitions.push(t);
        batcher.push(t);
      }
    }
    await clock.advance(199);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    expect(batches).toHaveLength(1);

    const batch = batches[0] ?? [];
    const results = batch.filter((e) => e.type === 'result');
    expect(results).toHaveLength(10);
    for (let m = 0; m < 10; m++) {
      const latest = results.find((e) => e.monitorId === `m${m}`);
      expect(latest?.type === 'result' && latest.result.startedAt).toBe(990 + m);
    }
    expect(batch.filter((e) => e.type === 'transition')).toEqual(transitions);
    for (let m = 0; m < 10; m++) expect(shown(batch).get(`m${m}`)?.since).toBe(990 + m);
  });

  it('ends a monitor on its newest state even when a transition came after its last result', async () => {
    const { clock, batches, batcher } = setup();
    batcher.push(result('db', 1, 'up'));
    batcher.push(transition('db', 2, 'up', 'paused'));
    batcher.push({ type: 'offline', at: 3 });
    await clock.advance(200);
    expect(shown(batches[0] ?? []).get('db')?.status).toBe('paused');
    expect(batches[0]?.map((e) => e.type)).toEqual(['result', 'transition', 'offline']);
  });

  it('delivers at most once per interval, and nothing after dispose', async () => {
    const { clock, batches, batcher } = setup();
    batcher.push(result('a', 0));
    await clock.advance(200);
    batcher.push(result('a', 200));
    await clock.advance(150);
    expect(batches).toHaveLength(1);
    await clock.advance(50);
    expect(batches).toHaveLength(2);

    batcher.push(result('a', 500));
    batcher.dispose();
    await clock.advance(1000);
    expect(batches).toHaveLength(2);
  });
});
