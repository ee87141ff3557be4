import { openCliConfig } from '../core/config/store';
import { configDir, keyFile } from '../core/config/paths';
import { listChannels, removeChannel, saveChannel, testChannel } from '../core/alerts/channel-store';
import { keyFileBox } from '../core/secrets';
import type { ChannelConfig } from '../../shared/alerts';
import { UsageError, parseCommandArgs, type CommandIO } from './io';

export const ALERT_HELP = `Usage: portwatch alert <list | add | remove | test> …

  alert list                          the configured channels (secrets shown as "(sealed)")
  alert add telegram <id> --chat <chat-id> --bot-token <secret>
  alert add email <id> --host <smtp-host> [--port 587] [--security starttls|tls|none]
                       [--user <u> --password <secret>] --from <addr> --to <addr>[,<addr>…]
                       [--allow-self-signed]
  alert add webhook <id> --url <secret> [--format json|slack|discord] [--secret <secret>]
  alert add desktop <id>              notifications of the desktop app
  alert remove <id>
  alert test <id>                     send a test message now; exit 1 with the reason if it fails

A <secret> is "-" to read it from standard input, or "env:NAME" to take it from the environment
variable NAME; typed on the command line it would stay in your shell history. Secrets are sealed
with the key in <config folder>/secret.key (readable only by you) before they are saved.
Adding a channel with an id that exists replaces it; a secret left out keeps the saved one.`;

const OPTIONS = {
  chat: { type: 'string' },
  'bot-token': { type: 'string' },
  'api-base': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  security: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'allow-self-signed': { type: 'boolean' },
  url: { type: 'string' },
  format: { type: 'string' },
  secret: { type: 'string' },
  disabled: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** A secret option's value: "-" from stdin, "env:NAME" from the environment, else as given. */
async function secretValue(option: string, given: string | undefined, io: CommandIO): Promise<string | undefined> {
  if (given === undefined) return undefined;
  if (given === '-') {
    const line = (await readStdinLine()).trim();
    if (!line) throw new UsageError(`--${option} -: nothing was read from standard input`);
    return line;
  }
  const env = /^env:(\w+)$/.exec(given);
  if (env) {
    const v = process.env[env[1] as string];
    if (!v) throw new UsageError(`--${option} ${given}: the environment variable ${env[1]} is not set`);
    return v;
  }
  io.err(`portwatch: warning: --${option} on the command line may stay in your shell history; use - or env:NAME`);
  return given;
}

function describe(c: ChannelConfig): string {
  const off = c.enabled ? '' : ' (disabled)';
  switch (c.kind) {
    case 'desktop':
      return `${c.id}  desktop${off}`;
    case 'telegram':
      return `${c.id}  telegram chat ${c.chatId}, token ${c.botToken}${off}`;
    case 'email':
      return `${c.id}  email via ${c.host}:${c.port} (${c.security}) from ${c.from} to ${c.to.join(', ')}${off}`;
    case 'webhook':
      return `${c.id}  webhook (${c.format}) ${c.url}${c.secret ? ', signed' : ''}${off}`;
  }
}

/** Telegram group chat ids are negative numbers; parseArgs would take "-100…" for an option. */
function joinNegativeChat(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (args[i] === '--chat' && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`--chat=${next}`);
      i++;
    } else out.push(args[i] as string);
  }
  return out;
}

export async function alertCommand(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(joinNegativeChat(args), OPTIONS, true);
  const v = parsed.values;
  const [action, ...rest] = parsed.positionals;
  if (v.help || action === undefined) return (io.out(ALERT_HELP), v.help ? 0 : 2);

  const dir = configDir();
  const config = await openCliConfig(dir);
  for (const p of config.report.problems) io.err(`portwatch: config: ${p}`);

  if (action === 'list') {
    const channels = listChannels(config);
    io.out(channels.length ? channels.map(describe).join('\n') : 'No alert channels are configured.');
    return 0;
  }
  if (action === 'remove') {
    const id = one(rest, 'alert remove <id>');
    const r = removeChannel(config, id);
    if (!r.ok) return (io.err(`portwatch: ${r.error}`), 1);
    io.out(`Removed channel ${id}.`);
    return 0;
  }
  if (action === 'test') {
    const id = one(rest, 'alert test <id>');
    const d = await testChannel(config, keyFileBox(keyFile(dir)), id);
    if (!d.ok) return (io.err(`portwatch: ${id}: ${d.detail}`), 1);
    io.out(`${id}: ${d.detail}`);
    return 0;
  }
  if (action === 'add') {
    const [kind, id, ...extra] = rest;
    if (!kind || !id || extra.length) throw new UsageError('alert add <desktop|telegram|email|webhook> <id> [options]');
    const input: Record<string, unknown> = { kind, id, enabled: !v.disabled };
    const put = (key: string, value: unknown): void => {
      if (value !== undefined) input[key] = value;
    };
    put('chatId', v.chat);
    put('apiBase', v['api-base']);
    put('botToken', await secretValue('bot-token', v['bot-token'], io));
    put('host', v.host);
    if (v.port !== undefined) {
      const port = Number(v.port);
      if (!Number.isInteger(port)) throw new UsageError(`--port must be a whole number, got "${v.port}"`);
      put('port', port);
    }
    put('security', v.security);
    put('user', v.user);
    put('password', await secretValue('password', v.password, io));
    put('from', v.from);
    put(
      'to',
      v.to?.split(',').map((s) => s.trim()),
    );
    put('allowSelfSigned', v['allow-self-signed']);
    put('url', await secretValue('url', v.url, io));
    put('format', v.format);
    put('secret', await secretValue('secret', v.secret, io));
    const r = saveChannel(config, keyFileBox(keyFile(dir)), input);
    if (!r.ok) return (io.err(`portwatch: ${r.error}`), 1);
    io.out(`Saved channel ${describe(r.value)}`);
    io.out(`Send a test with: portwatch alert test ${id}`);
    return 0;
  }
  throw new UsageError(`unknown alert action "${action}" (list, add, remove, test)`);
}

function one(rest: string[], usage: string): string {
  if (rest.length !== 1 || !rest[0]) throw new UsageError(`usage: portwatch ${usage}`);
  return rest[0];
}
