import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKuma } from '../../main/core/formats/kuma';
import { readImport } from '../../main/core/formats/read-import';

const fixture = readFileSync(new URL('../fixtures/import/kuma-backup.json', import.meta.url), 'utf8');

const backup = (monitorList: unknown[], notificationList: unknown[] = []): string =>
  JSON.stringify({ version: '1.23.16', notificationList, monitorList });

describe('an Uptime Kuma backup', () => {
  const r = readImport({ text: fixture, name: 'kuma-backup.json', format: 'kuma' });
  const byName = (name: string) => r.monitors.find((m) => m.name === name);
  const skipped = (name: string) => r.notMapped.filter((n) => n.item.includes(`("${name}")`)).map((n) => n.why);

  it('brings over the 13 monitors Portwatch can check, each valid, and nothing else', () => {
    expect(r.problems).toEqual([]);
    expect(r.monitors.map((m) => m.name)).toEqual([
      'Website',
      'API health',
      'No maintenance banner',
      'Status JSON',
      'Postgres port',
      'SSH bastion',
      'DNS example.com A',
      'DNS example.com MX',
      'Orders DB',
      'Session cache',
      'Admin webhook',
      'Paused docs site',
      'MQTT broker',
    ]);
  });

  it('maps http, keyword and port monitors with their timings, group and tags', () => {
    expect(byName('Website')).toMatchObject({
      kind: 'http',
      host: 'www.example.com',
      port: 443,
      url: 'https://www.example.com/',
      intervalSec: 60,
      retries: 2,
      retryIntervalSec: 30,
      timeoutMs: 48_000,
      group: 'Production',
      tags: ['prod'],
      http: { expectStatus: '200-299' },
    });
    expect(byName('API health')?.http).toMatchObject({ bodyContains: '"status":"ok"' });
    expect(byName('API health')?.tags).toEqual(['team:api']);
    expect(byName('Postgres port')).toMatchObject({
      kind: 'tcp',
      host: 'db.example.internal',
      port: 5432,
      timeoutMs: 8000,
    });
    expect(byName('SSH bastion')?.notes).toBe('Jump host for deploys');
  });

  it('turns an inverted keyword into a regex that passes only while the text is absent', () => {
    const regex = new RegExp(byName('No maintenance banner')?.http?.bodyRegex ?? 'missing');
    expect(regex.test('<h1>Shop</h1>')).toBe(true);
    expect(regex.test('<p>Down for maintenance</p>')).toBe(false);
  });

  it('maps DNS monitors to the dns check on the resolver with the name and type', () => {
    expect(byName('DNS example.com MX')).toMatchObject({
      kind: 'service',
      check: 'dns',
      host: '192.0.2.53',
      port: 53,
      settings: { name: 'example.com', type: 'MX' },
    });
    expect(skipped('SIP SRV record')).toEqual([expect.stringMatching(/record type SRV is not one Portwatch asks for/)]);
  });

  it('maps database monitors to their service check, without the login, and says so', () => {
    expect(byName('Orders DB')).toMatchObject({
      kind: 'service',
      check: 'postgres',
      host: 'db.example.internal',
      port: 5432,
    });
    expect(byName('Session cache')).toMatchObject({ kind: 'service', check: 'redis', port: 6379 });
    expect(JSON.stringify(r.monitors)).not.toContain('fixture-secret');
    expect(skipped('Orders DB')).toEqual([expect.stringMatching(/login in the connection string is not used/)]);
  });

  it('keeps what an http monitor sends that Portwatch can, and lists the rest on the monitor', () => {
    const admin = byName('Admin webhook');
    expect(admin).toMatchObject({ insecure: true });
    expect(admin?.http).toMatchObject({
      method: 'POST',
      expectStatus: '200-299,300-399',
      followRedirects: false,
      headers: { 'X-Fixture': 'yes', Authorization: `Basic ${Buffer.from('monitor:fixture-pass').toString('base64')}` },
    });
    expect(skipped('Admin webhook')).toEqual([expect.stringMatching(/request body is not sent/)]);
    expect(admin?.notes).toMatch(/Not brought over from Uptime Kuma: the request body is not sent/);
  });

  it('pauses a paused monitor and fits a timing outside Portwatch bounds, saying so', () => {
    expect(byName('Paused docs site')).toMatchObject({ enabled: false, intervalSec: 120, retryIntervalSec: 3600 });
    expect(skipped('Paused docs site')).toEqual([expect.stringMatching(/retry interval 7200 s .* 3600 s is used/)]);
  });

  it('lists ping, push, docker, group, upside-down and game monitors with the reason', () => {
    expect(skipped('Gateway ping')).toEqual([expect.stringMatching(/^type ping: an ICMP ping checks no port/)]);
    expect(skipped('Nightly backup')).toEqual([expect.stringMatching(/^type push:/)]);
    expect(skipped('Nginx container')).toEqual([expect.stringMatching(/^type docker:/)]);
    expect(skipped('Production')).toEqual([expect.stringMatching(/^type group: .*becomes their group/)]);
    expect(skipped('Old mirror must be gone')).toEqual([expect.stringMatching(/upside-down mode/)]);
    expect(skipped('Game server')).toEqual([expect.stringMatching(/^type gamedig:/)]);
    expect(skipped('Status JSON')).toEqual([expect.stringMatching(/JSON query "status" = "up" is not checked/)]);
  });

  it('proposes the Telegram and SMTP notifications as channels, and lists the one with no equivalent', () => {
    expect(r.channels?.map((c) => c.channel)).toEqual([
      {
        kind: 'telegram',
        id: 'kuma-ops-telegram',
        enabled: true,
        botToken: '123456789:AAFixtureTokenNotReal_abcdefghijklmn',
        chatId: '-1001234567890',
      },
      {
        kind: 'email',
        id: 'kuma-ops-mail',
        enabled: true,
        host: 'mail.example.com',
        port: 465,
        security: 'tls',
        user: 'kuma@example.com',
        password: 'fixture-smtp-password',
        from: 'kuma@example.com',
        to: ['ops@example.com', 'oncall@example.com'],
      },
    ]);
    expect(skipped('Phone push')).toEqual([expect.stringMatching(/"pushover" has no Portwatch channel/)]);
  });
});

describe('Uptime Kuma, smaller cases', () => {
  it('maps webhook, Slack and Discord notifications to webhook channels with their format', () => {
    const r = parseKuma(
      backup(
        [],
        [
          {
            id: 1,
            name: 'Hook',
            active: 1,
            config: JSON.stringify({
              type: 'webhook',
              webhookURL: 'https://hooks.example.com/x',
              webhookContentType: 'form-data',
            }),
          },
          {
            id: 2,
            name: 'Slack',
            active: 0,
            config: JSON.stringify({ type: 'slack', slackwebhookURL: 'https://hooks.slack.com/services/T/B/X' }),
          },
          {
            id: 3,
            name: 'Discord',
            active: 1,
            config: { type: 'discord', discordWebhookUrl: 'https://discord.com/api/webhooks/1/x' },
          },
          {
            id: 4,
            name: 'Bad bot',
            active: 1,
            config: JSON.stringify({ type: 'telegram', telegramBotToken: 'nope', telegramChatID: '12' }),
          },
        ],
      ),
    );
    expect(
      r.channels?.map((c) => [
        c.channel.id,
        c.channel.kind,
        (c.channel as { format?: string }).format,
        c.channel.enabled,
      ]),
    ).toEqual([
      ['kuma-hook', 'webhook', 'json', true],
      ['kuma-slack', 'webhook', 'slack', false],
      ['kuma-discord', 'webhook', 'discord', true],
    ]);
    expect(r.notMapped).toEqual([
      { item: 'notificationList.0 ("Hook")', why: 'the form-data body is not sent: Portwatch posts its own JSON' },
      {
        item: 'notificationList.3 ("Bad bot")',
        why: expect.stringMatching(/not a channel Portwatch can send to: botToken: a bot token looks like/),
      },
    ]);
    // The refusal names the field, never the secret's value.
    expect(JSON.stringify(r.notMapped)).not.toContain('nope');
  });

  it('names the line and column where a truncated backup breaks', () => {
    const r = parseKuma(fixture.slice(0, 2000));
    expect(r.monitors).toEqual([]);
    expect(r.problems).toEqual([expect.stringMatching(/^not valid JSON at line \d+, column \d+: /)]);
  });

  it('refuses JSON that is not a Kuma backup, and a monitor of the wrong shape, by place', () => {
    expect(parseKuma('{"monitors": []}').problems).toEqual([
      'this is not an Uptime Kuma backup: it has no "monitorList" list',
    ]);
    const r = parseKuma(backup([{ id: 1, name: 'Web', type: 'port', hostname: 'h', port: 'eighty' }, 7]));
    expect(r.problems).toEqual([
      'monitorList.0 ("Web").port: expected a number, found the text "eighty"',
      'monitorList.1: not a monitor (an object with a type and a name)',
    ]);
  });

  it('reports a host the schema refuses by the monitor it belongs to', () => {
    const r = readImport({
      text: backup([{ id: 1, name: 'Spaces', type: 'port', hostname: 'a b', port: 80 }]),
      name: 'k.json',
      format: 'kuma',
    });
    expect(r.problems).toEqual([expect.stringMatching(/^monitorList\.0 \("Spaces"\)\.host: the host may hold only/)]);
  });

  it('leaves out accepted statuses Portwatch cannot expect, and says which', () => {
    const r = parseKuma(
      backup([
        { id: 1, name: 'Odd', type: 'http', url: 'http://h.example/', accepted_statuscodes: ['200-299', '600-999'] },
      ]),
    );
    expect(r.monitors[0]?.http?.expectStatus).toBe('200-299');
    expect(r.notMapped).toEqual([
      { item: 'monitorList.0 ("Odd")', why: expect.stringMatching(/"600-999" is not one Portwatch can expect/) },
    ]);
  });
});
