// Portwatch's alert routing as an Alertmanager configuration: each tier's channel kinds become one
// receiver holding those channels, matched on the tier label the rules carry. Alertmanager must
// hold the channels' credentials in clear to use them, so this is the one export that opens sealed
// secrets; the caller writes the file where only its owner can read it.

import { stringify } from 'yaml';
import { TIERS, type Tier } from '../../../shared/catalog';
import type { AlertSettings, ChannelConfig } from '../../../shared/alerts';
import { DEFAULT_STORM_WINDOW_MS } from '../alerts/storm';
import { isSealed, type SecretBox } from '../secrets';
import { goDuration, hostPort, type ExportedFile } from './export-result';

export const ALERTMANAGER_FILE = 'alertmanager.yml';
export const DEFAULT_RECEIVER = 'portwatch-default';

// Alertmanager cannot be told never to repeat, and forgets what it sent after its data retention
// (120h by default), so that is the longest repeat it honours.
const NEVER_REPEAT_MS = 120 * 3_600_000;
// Shorter would re-notify a flapping port on every change, and Alertmanager has no flapping guard.
const GROUP_INTERVAL_MS = 60_000;

const TIER_LIST: readonly Tier[] = [1, 2, 3];

export const receiverName = (tier: Tier): string => `tier-${tier}-${TIERS[tier].label}`;

type ConfigKey = 'telegram_configs' | 'email_configs' | 'webhook_configs' | 'slack_configs' | 'discord_configs';

interface Carried {
  key: ConfigKey;
  config: Record<string, unknown>;
  /** The secrets it puts in the file, named. */
  secrets: string[];
  lost: string[];
}

/** One channel as an Alertmanager receiver config, or why it is left out. */
function carry(c: ChannelConfig, box: Pick<SecretBox, 'open'>): Carried | string {
  const open = (field: string, value: string): string => {
    // A hand-edited file holds it in clear until Portwatch next starts and seals it.
    if (!isSealed(value)) return value;
    try {
      return box.open(value);
    } catch (e) {
      throw new Error(`its ${field} cannot be opened here (${e instanceof Error ? e.message : String(e)})`, {
        cause: e,
      });
    }
  };
  try {
    switch (c.kind) {
      case 'desktop':
        return "Alertmanager cannot reach a desktop; keep Portwatch's own alerts on for it";
      case 'telegram':
        if (!/^-?\d+$/.test(c.chatId))
          return `the chat ${c.chatId}: Alertmanager's Telegram sender takes only a numeric chat id`;
        return {
          key: 'telegram_configs',
          config: {
            bot_token: open('bot token', c.botToken),
            // A number in YAML, and exact: supergroup ids are beyond what a double holds exactly.
            chat_id: BigInt(c.chatId),
            ...(c.apiBase && { api_url: c.apiBase.replace(/\/+$/, '') }),
            send_resolved: true,
          },
          secrets: ['bot token'],
          lost: [],
        };
      case 'email': {
        // Alertmanager speaks TLS from the first byte only on port 465; elsewhere it would send in clear.
        if (c.security === 'tls' && c.port !== 465)
          return `implicit TLS on port ${c.port}: Alertmanager uses it only on port 465 and would send in clear`;
        const auth = c.user !== undefined && c.password !== undefined;
        return {
          key: 'email_configs',
          config: {
            to: c.to.join(', '),
            from: c.from,
            smarthost: hostPort(c.host, c.port),
            ...(auth && { auth_username: c.user, auth_password: open('SMTP password', c.password ?? '') }),
            require_tls: c.security === 'starttls',
            ...(c.allowSelfSigned && { tls_config: { insecure_skip_verify: true } }),
            send_resolved: true,
          },
          secrets: auth ? ['SMTP password'] : [],
          lost:
            auth && c.security === 'none'
              ? ['the password over plain SMTP: Alertmanager sends it only over TLS or to localhost']
              : [],
        };
      }
      case 'webhook': {
        const url = open('URL', c.url);
        const lost =
          c.secret !== undefined ? ['its signing secret: Alertmanager does not sign what it posts'] : ([] as string[]);
        if (c.format === 'slack')
          return { key: 'slack_configs', config: { api_url: url, send_resolved: true }, secrets: ['URL'], lost };
        if (c.format === 'discord')
          return { key: 'discord_configs', config: { webhook_url: url, send_resolved: true }, secrets: ['URL'], lost };
        return {
          key: 'webhook_configs',
          config: { url, send_resolved: true },
          secrets: ['URL'],
          lost: [
            ...lost,
            "Portwatch's JSON body: Alertmanager posts its own (alerts with their labels and annotations)",
          ],
        };
      }
    }
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export interface AlertmanagerExport {
  file: ExportedFile;
  /** The secrets the file holds, by channel and field; never their values. */
  secrets: string[];
  /** What Alertmanager will not do as Portwatch does, one line each. */
  notCarried: string[];
}

export interface AlertmanagerOptions {
  /** How long Alertmanager waits for more alerts of one host before the first notification. */
  groupWaitMs?: number;
}

export function renderAlertmanager(
  alerts: AlertSettings,
  box: Pick<SecretBox, 'open'>,
  options: AlertmanagerOptions = {},
): AlertmanagerExport {
  const notCarried: string[] = [];
  const secrets: string[] = [];
  const carried = new Map<string, Carried>();
  for (const c of alerts.channels) {
    if (!c.enabled) {
      notCarried.push(`channel ${c.id}: it is disabled, so it is left out`);
      continue;
    }
    const result = carry(c, box);
    if (typeof result === 'string') {
      notCarried.push(`channel ${c.id} (${c.kind}): ${result}`);
      continue;
    }
    carried.set(c.id, result);
    secrets.push(...result.secrets.map((s) => `the ${s} of channel ${c.id}`));
    notCarried.push(...result.lost.map((l) => `channel ${c.id} (${c.kind}): ${l}`));
  }
  const receiverOf = (name: string, tier: Tier): Record<string, unknown> => {
    const receiver: Record<string, unknown> = { name };
    for (const c of alerts.channels) {
      const r = carried.get(c.id);
      if (!r || !alerts.routing[tier].includes(c.kind)) continue;
      receiver[r.key] = [...((receiver[r.key] as unknown[] | undefined) ?? []), r.config];
    }
    return receiver;
  };
  const repeatMs = (tier: Tier): number => {
    const minutes = alerts.reminderMinutes[tier];
    return minutes === null ? NEVER_REPEAT_MS : minutes * 60_000;
  };
  for (const tier of TIER_LIST) {
    if (Object.keys(receiverOf('', tier)).length === 1)
      notCarried.push(
        `tier ${tier} (${TIERS[tier].label}): none of its channels (${alerts.routing[tier].join(', ') || 'none'}) ` +
          'reaches Alertmanager, so its receiver sends nothing',
      );
    if (alerts.reminderMinutes[tier] === null)
      notCarried.push(
        `tier ${tier}'s "no reminders": Alertmanager repeats a firing alert at least every ${goDuration(NEVER_REPEAT_MS)}`,
      );
  }
  if (alerts.maintenance.length)
    notCarried.push(
      `${alerts.maintenance.length} maintenance window(s) as Alertmanager silences, which are a separate thing ` +
        '(amtool silence add): Portwatch reports no probe_success for a monitor inside a window, so no PortwatchDown fires then',
    );
  if (alerts.snooze)
    notCarried.push(
      `the snooze until ${new Date(alerts.snooze.until).toISOString()}: add an Alertmanager silence for it instead`,
    );
  notCarried.push(
    "Portwatch's acknowledgements: silence a firing alert in Alertmanager instead",
    'moving on to the next kind of channel when one keeps failing: Alertmanager retries the same receiver',
  );

  const config = {
    route: {
      // Alerts without a tier are about Portwatch itself: a silent instance hides tier-1 outages too.
      receiver: DEFAULT_RECEIVER,
      group_by: ['host'],
      group_wait: goDuration(options.groupWaitMs ?? DEFAULT_STORM_WINDOW_MS),
      group_interval: goDuration(GROUP_INTERVAL_MS),
      repeat_interval: goDuration(repeatMs(1)),
      routes: TIER_LIST.map((tier) => ({
        matchers: [`tier="${tier}"`],
        receiver: receiverName(tier),
        repeat_interval: goDuration(repeatMs(tier)),
      })),
    },
    receivers: [receiverOf(DEFAULT_RECEIVER, 1), ...TIER_LIST.map((t) => receiverOf(receiverName(t), t))],
  };
  const header = [
    '# Alertmanager routing for Portwatch\'s tiers, written by "portwatch export --format prometheus".',
    ...(secrets.length
      ? [
          '# It holds secrets in clear (bot tokens, SMTP passwords, webhook URLs): keep it mode 0600, out of version control.',
        ]
      : []),
  ];
  return {
    file: {
      name: ALERTMANAGER_FILE,
      text: `${header.join('\n')}\n${stringify(config, { lineWidth: 120, aliasDuplicateObjects: false })}`,
    },
    secrets,
    notCarried,
  };
}
