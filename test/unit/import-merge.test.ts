import { describe, expect, it } from 'vitest';
import { applyPlan, planChannels, planMerge, sameMonitor } from '../../main/core/formats/merge';
import { monitor } from '../helpers/monitors';

const web = monitor({ name: 'web', kind: 'http', host: 'shop.example', port: 443, url: 'https://shop.example/' });
const db = monitor({
  name: 'db',
  kind: 'service',
  check: 'postgres',
  host: 'db.example',
  port: 5432,
  notes: 'primary',
});
const dnsA = monitor({
  name: 'dns A',
  kind: 'service',
  check: 'dns',
  host: '192.0.2.53',
  port: 53,
  settings: { name: 'example.com', type: 'A' },
});

describe('the merge plan', () => {
  it('adds what is new, merges what is the same check of the same target, and says what is already so', () => {
    const plan = planMerge(
      [web, db],
      [
        { name: 'web', kind: 'http', host: 'shop.example', port: 443, url: 'https://shop.example/' },
        { name: 'Orders DB', kind: 'service', check: 'postgres', host: 'db.example', port: 5432 },
        { name: 'db port', kind: 'tcp', host: 'db.example', port: 5432 },
      ],
      ['a', 'b', 'c'],
    );
    expect(plan.unchanged).toEqual([{ index: 0, id: web.id, name: 'web' }]);
    expect(plan.merges).toEqual([
      { index: 1, id: db.id, savedName: 'db', patch: expect.objectContaining({ id: db.id, name: 'Orders DB' }) },
    ]);
    // A different check of the same port is another monitor, not a merge.
    expect(plan.adds.map((a) => a.monitor.name)).toEqual(['db port']);
    const after = applyPlan([web, db], plan);
    expect(after.map((m) => m.name)).toEqual(['web', 'Orders DB', 'db port']);
    // What the file does not say stays as it was saved.
    expect(after[1]).toMatchObject({ id: db.id, notes: 'primary' });
  });

  it('treats two DNS questions to one server as two monitors', () => {
    const mx = { ...dnsA, id: undefined, name: 'dns MX', settings: { name: 'example.com', type: 'MX' } };
    expect(sameMonitor(dnsA, mx)).toBe(false);
    expect(sameMonitor(dnsA, { ...mx, settings: { name: 'EXAMPLE.com', type: 'A' } })).toBe(true);
    expect(planMerge([dnsA], [mx]).adds).toHaveLength(1);
  });

  it('merges a DNS proposal that names no question into the saved check of that server, question kept', () => {
    const plan = planMerge(
      [dnsA],
      [
        {
          name: 'DNS on 192.0.2.53',
          kind: 'service',
          check: 'dns',
          host: '192.0.2.53',
          port: 53,
          settings: { transport: 'tcp' },
        },
      ],
    );
    expect(plan.adds).toEqual([]);
    expect(applyPlan([dnsA], plan)[0]).toMatchObject({ id: dnsA.id, settings: { name: 'example.com', type: 'A' } });
  });

  it('leaves a saved name, tier or notes alone where the importer only guessed them', () => {
    const ssh = monitor({
      name: 'bastion',
      kind: 'service',
      check: 'ssh',
      host: 'h.example',
      port: 22,
      tier: 1,
      notes: 'ours',
    });
    const proposal = {
      name: 'SSH / SFTP on h.example',
      kind: 'service' as const,
      check: 'ssh',
      host: 'h.example',
      port: 22,
      tier: 3 as const,
      notes: 'nmap: ssh',
    };
    expect(planMerge([ssh], [proposal], [], [['name', 'tier', 'notes']]).unchanged).toHaveLength(1);
    const told = planMerge([ssh], [proposal]);
    expect(applyPlan([ssh], told)[0]).toMatchObject({ name: 'SSH / SFTP on h.example', tier: 3, notes: 'nmap: ssh' });
  });

  it('never gives the id a file brings, and keeps a credential an export left blank', () => {
    const api = monitor({
      name: 'api',
      kind: 'http',
      host: 'api.example',
      port: 443,
      url: 'https://api.example/',
      http: { headers: { Authorization: 'Bearer kept', 'X-Trace': 'old' } },
    });
    const plan = planMerge(
      [api],
      [
        { ...api, http: { headers: { Authorization: '', 'X-Trace': 'new' } } },
        { id: 'from-elsewhere', name: 'new', kind: 'tcp', host: 'h.example', port: 1 },
      ],
    );
    expect(plan.merges[0]?.patch.http?.headers).toEqual({ Authorization: 'Bearer kept', 'X-Trace': 'new' });
    expect(plan.adds[0]?.monitor).not.toHaveProperty('id');
  });

  it('finds a proposal repeating an earlier one of the same file', () => {
    const m = { name: 'a', kind: 'tcp' as const, host: 'h.example', port: 22 };
    expect(planMerge([], [m, { ...m, name: 'b' }]).repeats).toEqual([{ index: 1, of: 0 }]);
  });

  it('names a merge the saved monitor cannot take by the proposal place', () => {
    const plan = planMerge(
      [db],
      [{ name: 'db', kind: 'service', check: 'postgres', host: 'db.example', port: 5432, retries: 99 }],
      ['row 2'],
    );
    expect(plan.problems).toEqual([expect.stringMatching(/^row 2\.retries: /)]);
  });
});

describe('the channel plan', () => {
  it('adds channels whose id is free and leaves a saved one as it is', () => {
    const telegram = {
      item: 'n.0',
      channel: { kind: 'telegram' as const, id: 'kuma-ops', botToken: '1:a', chatId: '1' },
    };
    const hook = { item: 'n.1', channel: { kind: 'webhook' as const, id: 'kuma-hook', url: 'https://h.example/' } };
    expect(planChannels([{ id: 'kuma-ops' }], [telegram, hook])).toEqual({
      adds: [hook],
      kept: [{ item: 'n.0', id: 'kuma-ops' }],
    });
  });
});
