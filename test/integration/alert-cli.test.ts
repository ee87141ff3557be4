import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNATURE_HEADER, verifySignature } from '../../main/core/alerts/channels/webhook';
import { portwatchIn } from '../helpers/cli';
import { closedPort } from '../helpers/net';
import { httpReceiver, startMailSink, telegramApi, type HttpReceiver, type MailSink } from '../helpers/receivers';

// `portwatch alert …` against real receivers on loopback: a fake Bot API, Postfix's smtp-sink and
// a webhook receiver that checks the signature. Secrets come from the environment, as a user
// would pass them, and must never appear in the config file, the command's output or an export.

const SECRETS = {
  PW_BOT_TOKEN: '987654321:AAF-cli-bot-token-s3cret',
  PW_BAD_TOKEN: '111111111:AAF-not-the-right-one',
  PW_HOOK_SECRET: 'hook-signing-s3cret-value',
};
const CHAT = '-1009876543210';

describe('portwatch alert: channels from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-alert-cli-'));
  let telegram: HttpReceiver;
  let hooks: HttpReceiver;
  let mail: MailSink;
  let hookUrl: string;
  let env: Record<string, string>;
  const outputs: string[] = [];
  const run = async (...args: string[]) => {
    const r = await portwatchIn(env, ...args);
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  beforeAll(async () => {
    telegram = await telegramApi({ token: SECRETS.PW_BOT_TOKEN, chat: CHAT });
    hooks = await httpReceiver((req, res) => {
      res.writeHead(
        verifySignature(SECRETS.PW_HOOK_SECRET, req.raw, req.headers[SIGNATURE_HEADER.toLowerCase()] as string)
          ? 204
          : 401,
      );
      res.end();
    });
    mail = await startMailSink();
    // The path is the credential of a Slack-style URL.
    hookUrl = `${hooks.base}/hooks/T0001/B0002/cli-hook-path-s3cret`;
    env = { ...SECRETS, PORTWATCH_HOME: dir, PW_HOOK_URL: hookUrl };
  });
  afterAll(async () => {
    await Promise.all([telegram.close(), hooks.close(), mail.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a Telegram channel and a test message reaches the chat; a rejected token says so', async () => {
    const added = await run(
      'alert',
      'add',
      'telegram',
      'ops',
      '--chat',
      CHAT,
      '--bot-token',
      'env:PW_BOT_TOKEN',
      '--api-base',
      telegram.base,
    );
    expect(added.code).toBe(0);
    const test = await run('alert', 'test', 'ops');
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/ops: sent to chat -1009876543210/);
    expect(telegram.requests).toHaveLength(1);
    expect(JSON.parse(telegram.requests[0]?.raw.toString() ?? '{}')).toMatchObject({
      chat_id: CHAT,
      text: expect.stringContaining('Portwatch test message'),
    });

    await run(
      'alert',
      'add',
      'telegram',
      'wrong',
      '--chat',
      CHAT,
      '--bot-token',
      'env:PW_BAD_TOKEN',
      '--api-base',
      telegram.base,
    );
    const bad = await run('alert', 'test', 'wrong');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/wrong: Telegram rejected the bot token \(401/);
  });

  it('adds an e-mail channel: the test mail lands in the SMTP server; an unreachable server says so', async () => {
    const add = (id: string, port: number) =>
      run(
        'alert',
        'add',
        'email',
        id,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--security',
        'none',
        '--from',
        'portwatch@example.test',
        '--to',
        'oncall@example.test',
      );
    expect((await add('mail', mail.port)).code).toBe(0);
    const sent = await run('alert', 'test', 'mail');
    expect(sent.code).toBe(0);
    expect(mail.messages().join('\n')).toMatch(/Subject: Portwatch test message/);

    const nowhere = await closedPort();
    await add('nowhere', nowhere);
    const failed = await run('alert', 'test', 'nowhere');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`SMTP server 127.0.0.1:${nowhere} unreachable`);
  });

  it('adds a signed webhook: the receiver verifies the signature of the test alert', async () => {
    const add = await run(
      'alert',
      'add',
      'webhook',
      'hook',
      '--url',
      'env:PW_HOOK_URL',
      '--secret',
      'env:PW_HOOK_SECRET',
    );
    expect(add.code).toBe(0);
    const test = await run('alert', 'test', 'hook');
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/delivered to http:\/\/127\.0\.0\.1:\d+ \(204\)/);
    expect(hooks.requests).toHaveLength(1);
  });

  it('names what is wrong with a channel and saves nothing', async () => {
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const noTo = await run('alert', 'add', 'email', 'x', '--host', 'smtp.example.test', '--from', 'a@example.test');
    expect(noTo.code).toBe(1);
    expect(noTo.stderr).toMatch(/the channel was not saved: to: /);
    const badUrl = await portwatchIn(
      { ...env, PW_URL: 'ftp://example.test/x' },
      'alert',
      'add',
      'webhook',
      'y',
      '--url',
      'env:PW_URL',
    );
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/url: the webhook URL must be an http:\/\/ or https:\/\/ address/);
    const unset = await run('alert', 'add', 'telegram', 'z', '--chat', CHAT, '--bot-token', 'env:PW_UNSET_VARIABLE');
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/PW_UNSET_VARIABLE is not set/);
    const missing = await run('alert', 'test', 'no-such');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/there is no channel "no-such" \(channels: ops, wrong, mail, nowhere, hook\)/);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  it('keeps every secret out of the config file, the output and an export', async () => {
    const list = await run('alert', 'list');
    expect(list.stdout).toMatch(/ops\s+telegram chat -1009876543210, token \(sealed\)/);
    expect(list.stdout).toMatch(/hook\s+webhook \(json\) \(sealed\), signed/);
    const exported = join(dir, 'export.json');
    expect((await run('export', exported)).code).toBe(0);

    const config = readFileSync(join(dir, 'config.json'), 'utf8');
    expect(config).toContain('pw-key:v1:');
    const secrets = [...Object.values(SECRETS), hookUrl, 'cli-hook-path-s3cret'];
    for (const [what, text] of [
      ['config.json', config],
      ['the export', readFileSync(exported, 'utf8')],
      ['the command output', outputs.join('\n')],
    ] as const)
      for (const s of secrets) expect(text.includes(s), `${what} holds ${s}`).toBe(false);
  });
});
