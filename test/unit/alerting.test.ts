import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Alerting } from '../../main/core/alerts/alerting';
import { saveChannel } from '../../main/core/alerts/channel-store';
import type { Alert, Channel } from '../../main/core/alerts/types';
import { VirtualClock } from '../../main/core/clock';
import { openCliConfig, type ConfigStore } from '../../main/core/config/store';
import { Engine } from '../../main/core/engine';
import { openHistory, type History } from '../../main/core/history/db';
import { keyFileBox, type SecretBox } from '../../main/core/secrets';
import type { Outcome } from '../../shared/probe';
import { scripted } from '../helpers/scripted';

// Alerting as serve and the app run it, in virtual time: the real engine (with scripted check
// results), the real config file, the outbox in a real SQLite file. The desktop channel, which
// in the app is an Electron notification, records what it is given.

const MIN = 60_000;

interface Rig {
  clock: VirtualClock;
  config: ConfigStore;
  box: SecretBox;
  history: History;
  engine: Engine;
  outcomes: Map<string, Outcome>;
  shown: Alert[];
  alerting: Alerting;
  dir: string;
}

const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function desktop(shown: Alert[]): (id: string) => Channel {
  return (id) => ({
    kind: 'desktop',
    id,
    send: (alert) => {
      shown.push(alert);
      return Promise.resolve({ ok: true, retryable: false, detail: 'shown' });
    },
  });
}

async function rig(dir = mkdtempSync(join(tmpdir(), 'pw-alerting-'))): Promise<Rig> {
  if (!dirs.includes(dir)) dirs.push(dir);
  // A Thursday morning, local time, so "until 09:00 tomorrow" is a plain next-day 09:00.
  const clock = new VirtualClock(new Date(2026, 10, 26, 10, 0, 0).getTime());
  const config = await openCliConfig(dir);
  const box = keyFileBox(join(dir, 'secret.key'));
  if (config.monitors().length === 0) {
    config.addMonitor({ id: 'db', name: 'orders db', kind: 'tcp', host: 'db.internal', port: 5432, tier: 1 });
    config.addMonitor({ id: 'smtp', name: 'mail relay', kind: 'tcp', host: 'mail.internal', port: 25, tier: 3 });
    expect(saveChannel(config, box, { id: 'me', kind: 'desktop' }).ok).toBe(true);
    config.updateSettings({
      alerts: { ...config.settings().alerts, routing: { 1: ['desktop'], 2: ['desktop'], 3: ['desktop'] } },
    });
  }
  const history = openHistory(join(dir, 'history.sqlite'));
  const outcomes = new Map<string, Outcome>();
  const { check } = scripted(clock, outcomes);
  const engine = new Engine({ clock, check, history });
  const shown: Alert[] = [];
  const alerting = new Alerting({
    engine,
    config,
    db: history.db,
    box,
    clock,
    desktop: desktop(shown),
    stormWindowMs: 1000,
  });
  engine.setMonitors(config.monitors());
  alerting.start();
  cleanups.push(async () => {
    await alerting.stop();
    await engine.stop();
    history.close();
  });
  return { clock, config, box, history, engine, outcomes, shown, alerting, dir };
}

const kinds = (r: Rig): string[] => r.shown.map((a) => `${a.kind}:${a.subjects.map((s) => s.monitorId).join(',')}`);

describe('alerting beside the engine', () => {
  it('reminds of a tier-1 outage every 30 minutes until acknowledged, and never of a tier-3 one', async () => {
    const r = await rig();
    r.outcomes.set('db', 'refused');
    r.outcomes.set('smtp', 'refused');
    r.engine.checkAllNow();
    await r.clock.advance(5 * MIN);
    expect(kinds(r).sort()).toEqual(['down:db', 'down:smtp']);

    await r.clock.advance(61 * MIN);
    expect(kinds(r).filter((k) => k.startsWith('reminder'))).toEqual(['reminder:db', 'reminder:db']);
    expect(r.shown.at(-1)?.title).toMatch(/orders db \(db\.internal:5432\) is still DOWN/);

    r.alerting.ack('db');
    await r.clock.advance(90 * MIN);
    expect(kinds(r).filter((k) => k.startsWith('reminder'))).toHaveLength(2);
  });

  it('keeps a snooze across a restart, and sends nothing it held back once the snooze ends', async () => {
    const first = await rig();
    const { until } = first.alerting.snooze('1h');
    expect(until).toBe(first.clock.now() + 60 * MIN);
    await first.alerting.stop();

    // Another run over the same files: the snooze is read back from the settings.
    const again = await rig(first.dir);
    expect(again.config.settings().alerts.snooze?.until).toBe(until);
    again.outcomes.set('db', 'refused');
    again.engine.checkAllNow();
    await again.clock.advance(30 * MIN);
    expect(again.engine.state('db')?.status).toBe('down');
    expect(again.shown).toEqual([]);
    await again.clock.advance(60 * MIN);
    // The outage is still on after the snooze, but it began inside it: no late page, and the
    // reminders pick up from there.
    expect(kinds(again).filter((k) => k.startsWith('down'))).toEqual([]);

    again.alerting.snooze('off');
    again.outcomes.set('db', 'ok');
    await again.clock.advance(10 * MIN);
    expect(kinds(again)).toContain('recovered:db');
  });

  it('seals a secret typed into the config file by hand at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-alerting-'));
    dirs.push(dir);
    const token = '424242:AAE-typed-by-hand-s3cret';
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        monitors: [],
        settings: { alerts: { channels: [{ id: 'tg', kind: 'telegram', botToken: token, chatId: '12345' }] } },
      }),
    );
    const r = await rig(dir);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    const saved = r.config.settings().alerts.channels[0];
    expect(saved?.kind === 'telegram' && r.box.open(saved.botToken)).toBe(token);
  });
});
