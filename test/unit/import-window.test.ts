import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../../shared/alerts';
import { MonitorSchema, type Monitor } from '../../shared/monitor';
import { importMonitors } from '../../main/core/transfer-service';

const read = (name: string): string => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

/** The part of the service the window's import uses, holding monitors and channels in memory. */
function service(withAlerts = true) {
  const monitors: Monitor[] = [];
  const channels: ChannelConfig[] = [];
  let n = 0;
  return {
    monitors,
    channels,
    list: () => monitors.map((monitor) => ({ monitor, state: undefined })),
    add: (input: unknown) => {
      const m = MonitorSchema.parse({ ...(input as object), id: `m${++n}` });
      monitors.push(m);
      return { ok: true as const, value: m };
    },
    update: (id: unknown, patch: unknown) => {
      const i = monitors.findIndex((m) => m.id === id);
      const m = MonitorSchema.parse({ ...monitors[i], ...(patch as object) });
      monitors[i] = m;
      return { ok: true as const, value: m };
    },
    alerts: withAlerts
      ? {
          channels: () => channels,
          saveChannel: (c: unknown) => {
            channels.push(c as ChannelConfig);
            return { ok: true as const, value: c as ChannelConfig };
          },
        }
      : undefined,
  };
}

describe("the window's import of other tools' files", () => {
  it('reports a dry run of a Kuma backup without saving, then imports it once however often it is given', () => {
    const s = service();
    const dry = importMonitors(s, read('kuma-backup.json'), 'kuma', true);
    expect(dry.ok && dry.value).toMatchObject({
      saved: false,
      problems: [],
      channels: ['kuma-ops-telegram', 'kuma-ops-mail'],
    });
    expect(dry.ok && dry.value.added).toHaveLength(13);
    expect(dry.ok && dry.value.notMapped.map((n) => n.item)).toContain('monitorList.9 ("Gateway ping")');
    expect(s.monitors).toEqual([]);
    expect(s.channels).toEqual([]);

    const first = importMonitors(s, read('kuma-backup.json'), 'kuma', false);
    expect(first.ok && first.value.saved).toBe(true);
    expect(s.monitors).toHaveLength(13);
    expect(s.channels.map((c) => c.id)).toEqual(['kuma-ops-telegram', 'kuma-ops-mail']);

    const again = importMonitors(s, read('kuma-backup.json'), 'kuma', false);
    expect(again.ok && again.value).toMatchObject({ added: [], updated: [], channels: [] });
    expect(again.ok && again.value.unchanged).toHaveLength(13);
    expect(s.monitors).toHaveLength(13);
    expect(s.channels).toHaveLength(2);
  });

  it('lists channels it cannot add where alerts are not available', () => {
    const s = service(false);
    const r = importMonitors(s, read('kuma-backup.json'), 'kuma', false);
    expect(r.ok && r.value.notMapped).toContainEqual({
      item: 'notificationList.0 ("Ops Telegram")',
      why: 'alert channels cannot be added here; add it under Alerts',
    });
  });

  it('saves nothing of a file with a problem', () => {
    const s = service();
    const r = importMonitors(s, 'host,port\nok.example,80\nbad host,80\n', 'csv', false);
    expect(r.ok && r.value).toMatchObject({
      saved: false,
      problems: [expect.stringMatching(/^row 3, column A \("host"\)/)],
    });
    expect(s.monitors).toEqual([]);
  });

  it('keeps refusing a Portwatch file that names one target twice', () => {
    const text = JSON.stringify({
      portwatch: 1,
      monitors: [
        { name: 'a', kind: 'tcp', host: 'h.example', port: 1 },
        { name: 'b', kind: 'tcp', host: 'h.example', port: 1 },
      ],
    });
    const r = importMonitors(service(), text, 'json', false);
    expect(r.ok && r.value.problems).toEqual([
      'monitors.1 ("b"): the same check of the same target as monitors.0 ("a")',
    ]);
  });
});
