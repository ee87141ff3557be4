// The desktop channel: a native notification per alert, through the same Channel interface as
// Telegram or email, so the router, the outbox and the snooze treat it like any other.

import { BrowserWindow, Notification, app } from 'electron';
import type { Alert, Channel, Delivery } from '../core/alerts/types';
import { messageOf, truncate } from '../core/alerts/channels/format';

export interface DesktopChannelOptions {
  /** The configured channel's id; "desktop" unless the settings name it otherwise. */
  id?: string;
  /** Whether alerts are snoozed now: a snoozed alert is held back, not shown. */
  isSnoozed: () => boolean;
  openMonitor: (monitorId: string) => void;
  openWindow: () => void;
  platform?: NodeJS.Platform;
  /** The window to flash on Windows; the first open one when not given. */
  mainWindow?: () => BrowserWindow | undefined;
  /** An icon for the notification (Linux and Windows show it; macOS uses the app's). */
  icon?: string;
}

/**
 * Notification centres show two to four lines; past that the text is cut by the OS wherever it
 * likes. Cut it ourselves, keeping what matters first.
 */
export const MAX_BODY = 240;

const MAX_LIVE = 50;

/**
 * The body as a notification should read it: the opening line (what and where), then the
 * diagnosis ("Why: …"), then the rest while it fits. A timestamp in ISO form is for a log, and
 * the notification centre already says when.
 */
export function notificationBody(body: string, max = MAX_BODY): string {
  const lines = body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('Since:') && !l.startsWith('Down since:'));
  const [first, ...rest] = lines;
  if (first === undefined) return '';
  const why = rest.filter((l) => l.startsWith('Why:'));
  const ordered = [first, ...why, ...rest.filter((l) => !l.startsWith('Why:'))];
  let text = '';
  for (const line of ordered) {
    const next = text === '' ? line : `${text}\n${line}`;
    if (Array.from(next).length > max) return text === '' ? truncate(line, max) : text;
    text = next;
  }
  return text;
}

/** Whether the alert needs someone now, whatever they are doing: a confirmed tier-1 outage. */
const urgent = (alert: Alert): boolean =>
  alert.severity === 'critical' && alert.tier === 1 && (alert.kind === 'down' || alert.kind === 'reminder');

export function desktopChannel(options: DesktopChannelOptions): Channel {
  const platform = options.platform ?? process.platform;
  const mainWindow =
    options.mainWindow ??
    ((): BrowserWindow | undefined => BrowserWindow.getAllWindows().find((w) => !w.isDestroyed()));
  // Kept until closed: a notification the garbage collector takes loses its click handler.
  const live = new Set<Notification>();

  const attention = (): void => {
    if (platform === 'darwin') app.dock?.bounce('critical');
    if (platform === 'win32') mainWindow()?.flashFrame(true);
  };

  return {
    kind: 'desktop',
    id: options.id ?? 'desktop',
    send: async (alert: Alert): Promise<Delivery> => {
      try {
        if (options.isSnoozed()) {
          return { ok: true, retryable: false, detail: 'held back: alerts are snoozed' };
        }
        if (!Notification.isSupported()) {
          return {
            ok: false,
            retryable: false,
            detail: 'this desktop cannot show notifications (no notification service is running)',
          };
        }
        const critical = urgent(alert);
        const n = new Notification({
          title: truncate(alert.title, 120),
          body: notificationBody(alert.body),
          silent: false,
          // Linux: a critical notification stays until dismissed; the others time out.
          ...(platform === 'linux' && critical ? { urgency: 'critical' as const } : {}),
          ...(critical && platform !== 'darwin' ? { timeoutType: 'never' as const } : {}),
          ...(options.icon ? { icon: options.icon } : {}),
        });
        const subject = alert.subjects.length === 1 ? alert.subjects[0] : undefined;
        n.on('click', () => {
          live.delete(n);
          if (subject) options.openMonitor(subject.monitorId);
          else options.openWindow();
        });
        n.on('close', () => live.delete(n));
        live.add(n);
        // Some notification centres never report a close: keep the newest ones, not all ever shown.
        for (const old of live) if (live.size > MAX_LIVE) live.delete(old);
        n.show();
        if (critical) attention();
        return { ok: true, retryable: false, detail: 'shown as a desktop notification' };
      } catch (e) {
        return { ok: false, retryable: true, detail: `the desktop notification failed: ${messageOf(e)}` };
      }
    },
  };
}
