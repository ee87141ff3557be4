import type { Alert, Channel, Delivery } from '../types';
import { printable, redact, renderText, truncate } from './format';
import { postJson } from './http';

export interface TelegramConfig {
  id: string;
  botToken: string;
  /** A numeric chat id ("-1001234567890") or a public channel's "@name". */
  chatId: string;
  /** Only tests point this elsewhere. */
  apiBase?: string;
}

/** Telegram refuses a message text over 4096 characters. */
const TELEGRAM_MAX_TEXT = 4096;

/** What the Bot API answers (https://core.telegram.org/bots/api#making-requests). */
interface BotApiAnswer {
  ok?: boolean;
  description?: string;
  error_code?: number;
  result?: { message_id?: number };
  parameters?: { retry_after?: number };
}

/**
 * Sends alerts to a Telegram chat through the Bot API's sendMessage. The token is part of the
 * URL, so every word that leaves here is passed through redact: a detail is shown and logged.
 */
export function telegramChannel(config: TelegramConfig): Channel {
  const apiBase = (config.apiBase ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const clean = (text: string): string => redact(text, config.botToken);
  return {
    kind: 'telegram',
    id: config.id,
    send: async (alert: Alert, signal: AbortSignal): Promise<Delivery> => {
      try {
        const payload = JSON.stringify({
          chat_id: config.chatId,
          // No parse_mode: plain text cannot be rejected for a stray '*' or '<' in a diagnosis.
          text: truncate(renderText(alert), TELEGRAM_MAX_TEXT),
          disable_web_page_preview: true,
        });
        const res = await postJson(`${apiBase}/bot${config.botToken}/sendMessage`, payload, {}, signal);
        if (!res.ok) {
          return res.reason === 'aborted'
            ? { ok: false, retryable: true, detail: clean(`Telegram did not answer in time (${res.detail})`) }
            : { ok: false, retryable: true, detail: clean(`Telegram unreachable: ${res.detail}`) };
        }
        const delivery = interpret(res.status, res.body, res.retryAfter, config.chatId);
        return { ...delivery, detail: clean(delivery.detail) };
      } catch (e) {
        // Nothing above should throw; this keeps the promise of never throwing if it does.
        return { ok: false, retryable: true, detail: clean(`Telegram send failed: ${String(e)}`) };
      }
    },
  };
}

function parseAnswer(body: string): BotApiAnswer | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' ? (v as BotApiAnswer) : undefined;
  } catch {
    return undefined;
  }
}

function interpret(status: number, body: string, retryAfterHeader: number | undefined, chatId: string): Delivery {
  const answer = parseAnswer(body);
  const description = printable(answer?.description ?? body, 200);
  if (status >= 200 && status < 300 && answer?.ok === true) {
    const mid = answer.result?.message_id;
    return {
      ok: true,
      retryable: false,
      detail: `sent to chat ${chatId}${mid === undefined ? '' : ` (message ${mid})`}`,
    };
  }
  if (status === 401)
    return { ok: false, retryable: false, detail: 'Telegram rejected the bot token (401 Unauthorized)' };
  if (status === 429) {
    const after = answer?.parameters?.retry_after ?? retryAfterHeader;
    return {
      ok: false,
      retryable: true,
      detail: `Telegram is rate limiting the bot (429)${after === undefined ? '' : `; retry after ${after} s`}`,
    };
  }
  if (status === 400 && /chat not found/i.test(description))
    return {
      ok: false,
      retryable: false,
      detail: `Telegram does not know chat ${chatId} (400 chat not found): check the chat id and that the bot was added to the chat`,
    };
  if (status === 403)
    return { ok: false, retryable: false, detail: `Telegram refused to post to chat ${chatId} (403): ${description}` };
  if (status >= 500) return { ok: false, retryable: true, detail: `Telegram server error (${status}): ${description}` };
  if (status >= 200 && status < 300)
    return { ok: false, retryable: true, detail: `Telegram answered ${status} without ok: ${description}` };
  return { ok: false, retryable: false, detail: `Telegram refused the message (${status}): ${description}` };
}
