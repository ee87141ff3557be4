import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertService } from '../../main/core/alerts/alert-service';
import { openCliConfig } from '../../main/core/config/store';
import { Engine } from '../../main/core/engine';
import { keyFileBox } from '../../main/core/secrets';
import { PortwatchService } from '../../main/core/service';

// The alert calls as the UI and the HTTP API make them: secrets go in once and never come back out.

describe('alert settings through the service facade', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-alert-service-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const token = '777777:AAG-facade-token-s3cret';

  it('saves a channel sealed, shows it masked, and keeps the secret when a form leaves it out', async () => {
    const config = await openCliConfig(dir);
    const box = keyFileBox(join(dir, 'secret.key'));
    const alerts = new AlertService(config, box);
    const service = new PortwatchService(config, new Engine(), undefined, alerts);

    const saved = alerts.saveChannel({ id: 'tg', kind: 'telegram', botToken: token, chatId: '-1001' });
    expect(saved).toMatchObject({ ok: true, value: { botToken: '(sealed)', chatId: '-1001' } });
    expect(JSON.stringify(service.settings())).not.toContain(token);
    // Another instance's token is shown sealed too, never as the stored ciphertext.
    config.updateSettings({
      sources: [{ id: 'cloud', name: 'cloud', url: 'http://127.0.0.1:7788/', token: box.seal('remote-token-s3cret') }],
    });
    expect(service.settings().sources).toEqual([
      { id: 'cloud', name: 'cloud', url: 'http://127.0.0.1:7788/', token: '(sealed)' },
    ]);
    config.updateSettings({ sources: [] });
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain(token);

    // The form sends back what it was shown, with a new chat id.
    expect(alerts.saveChannel({ ...alerts.channels()[0], chatId: '-1002' }).ok).toBe(true);
    const stored = config.settings().alerts.channels[0];
    expect(stored?.kind === 'telegram' && [stored.chatId, box.open(stored.botToken)]).toEqual(['-1002', token]);

    expect(alerts.saveChannel({ id: 'new', kind: 'telegram', botToken: '(sealed)', chatId: '1' })).toEqual({
      ok: false,
      error: 'botToken: enter the secret; there is no saved one to keep',
    });
  });

  it('names bad input and does not let a settings update overwrite the channels', async () => {
    const config = await openCliConfig(dir);
    const alerts = new AlertService(config, keyFileBox(join(dir, 'secret.key')));
    const service = new PortwatchService(config, new Engine(), undefined, alerts);

    expect(alerts.saveChannel({ id: 'Bad Id', kind: 'pager' })).toMatchObject({ ok: false });
    expect(alerts.saveChannel({ id: 'w', kind: 'webhook', url: 'not a url' })).toEqual({
      ok: false,
      error: 'the channel was not saved: url: the webhook URL must be an http:// or https:// address',
    });
    expect(alerts.updateAlerts({ routing: { 1: ['pager'] } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/routing\.1\.0: a channel kind is desktop, telegram, email or webhook/),
    });
    expect(alerts.updateAlerts({ channels: [] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/only routing/),
    });
    expect(service.updateSettings({ alerts: { channels: [] } })).toEqual({
      ok: false,
      error: 'alerts: change alert settings through the alert calls',
    });
    expect(service.updateSettings({ sources: [] })).toEqual({
      ok: false,
      error: 'sources: add or remove other instances through the sources calls',
    });
    expect(alerts.updateAlerts({ reminderMinutes: { 1: 15, 2: null, 3: null } })).toMatchObject({ ok: true });
    expect(config.settings().alerts.reminderMinutes).toEqual({ 1: 15, 2: null, 3: null });
    expect(config.settings().alerts.channels).toHaveLength(1);
    expect(alerts.snooze('2h')).toEqual({ ok: false, error: 'snooze is 1h, 4h, 8h, tomorrow-09 or off' });
  });
});
