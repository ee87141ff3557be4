// What an alert says: turns a monitor's transition (or the engine's offline/online news) into
// one Alert, or nothing. Pure: no clock, no I/O; every time comes from the event itself.

import type { Monitor } from '../../../shared/monitor';
import { formatDuration } from '../../../shared/duration';
import type { OpenIncident, Transition } from '../../../shared/status';
import type { Alert, AlertKind, AlertSubject, Severity } from './types';

/** The part of a monitor an alert needs. */
export type AlertMonitor = Pick<Monitor, 'id' | 'name' | 'host' | 'port' | 'tier'>;

export { formatDuration };

export const alertId = (monitorId: string, kind: AlertKind, at: number): string => `${monitorId}:${kind}:${at}`;

export const subjectOf = (m: AlertMonitor): AlertSubject => ({
  monitorId: m.id,
  name: m.name,
  host: m.host,
  port: m.port,
});

const label = (m: AlertMonitor): string => `${m.name} (${m.host}:${m.port})`;

const downSeverity = (m: AlertMonitor): Severity => (m.tier === 1 ? 'critical' : 'warning');

function make(m: AlertMonitor, kind: AlertKind, severity: Severity, at: number, title: string, body: string): Alert {
  return { id: alertId(m.id, kind, at), kind, severity, tier: m.tier, at, title, body, subjects: [subjectOf(m)] };
}

/** The diagnosis in words, falling back to the outcome when the probe had nothing to add. */
const why = (incident: OpenIncident): string =>
  incident.diagnosis ? `${incident.diagnosis} (${incident.outcome} at ${incident.phase})` : incident.outcome;

function downAlert(m: AlertMonitor, t: Transition, incident: OpenIncident): Alert {
  const lines = [
    `${m.name} does not answer on ${m.host} port ${m.port}.`,
    `Since: ${new Date(incident.startedAt).toISOString()} (for ${formatDuration(t.at - incident.startedAt)})`,
    `Why: ${why(incident)}`,
    `Where: host ${m.host}, port ${m.port}`,
    `Confirmed: ${t.reason}`,
  ];
  if (t.result?.detail) lines.push(`Detail: ${t.result.detail}`);
  if (t.flapping === 'started') lines.push('It is also flapping: up and down repeatedly.');
  return make(m, 'down', downSeverity(m), t.at, `${label(m)} is DOWN`, lines.join('\n'));
}

function recoveredAlert(m: AlertMonitor, t: Transition, incident: OpenIncident, durationMs: number): Alert {
  const lines = [
    `${m.name} answers again on ${m.host} port ${m.port}; it was down for ${formatDuration(durationMs)}.`,
    `Down since: ${new Date(incident.startedAt).toISOString()}, back at ${new Date(t.at).toISOString()}`,
    `It had failed with: ${why(incident)}`,
  ];
  if (t.to === 'degraded') lines.push(`Now: ${t.reason}`);
  if (t.flapping === 'stopped') lines.push('It has also stopped flapping.');
  return make(
    m,
    'recovered',
    'info',
    t.at,
    `${label(m)} recovered (was down for ${formatDuration(durationMs)})`,
    lines.join('\n'),
  );
}

/** What made a passing check degraded: the reason, without the "check passed in …, but" lead-in. */
function degradedCause(reason: string): string {
  const i = reason.indexOf(', but ');
  const cause = i >= 0 ? reason.slice(i + ', but '.length) : reason;
  return cause.split('; ')[0] ?? cause;
}

/**
 * The alert a monitor's transition deserves, or undefined. One transition gives at most one alert;
 * an outage (incident opened/closed) outranks flapping, which outranks a slowdown.
 *
 * - incident opened -> 'down' (critical for tier 1, warning otherwise). Not `to === 'down'`:
 *   resuming a paused or maintained monitor whose outage is still open says nothing new.
 * - incident closed -> 'recovered' with the downtime.
 * - flapping started/stopped -> 'flapping-started' / 'flapping-stopped'.
 * - up -> degraded: 'certificate' when the cause is the certificate, else 'degraded'. Only from
 *   'up': a first check after start-up, or a blip passing slowly, would repeat it on every restart.
 */
export function transitionAlert(m: AlertMonitor, t: Transition): Alert | undefined {
  if (t.incident?.action === 'opened') return downAlert(m, t, t.incident.incident);
  if (t.incident?.action === 'closed') return recoveredAlert(m, t, t.incident.incident, t.incident.durationMs);
  if (t.flapping === 'started') {
    const body = [
      `${m.name} on ${m.host} port ${m.port} keeps changing between up and down: ${t.reason}.`,
      `Now: ${t.to}. Its state is not to be trusted until it settles; a confirmed outage is still alerted.`,
    ].join('\n');
    return make(m, 'flapping-started', 'warning', t.at, `${label(m)} is flapping`, body);
  }
  if (t.flapping === 'stopped') {
    const body = `${m.name} on ${m.host} port ${m.port} is steady again (${t.to}): ${t.reason}.`;
    return make(m, 'flapping-stopped', 'info', t.at, `${label(m)} stopped flapping`, body);
  }
  if (t.from === 'up' && t.to === 'degraded') {
    const cause = degradedCause(t.reason);
    const where = `on ${m.host} port ${m.port}`;
    if (cause.startsWith('certificate')) {
      const body = `The TLS certificate of ${m.name} ${where} needs renewing: ${cause}.`;
      return make(m, 'certificate', 'warning', t.at, `${label(m)}: certificate expires soon`, body);
    }
    const body = [
      `${m.name} ${where} answers, but ${cause.replace(/^slow: /, 'slowly: ')}.`,
      ...(t.result?.detail ? [`Detail: ${t.result.detail}`] : []),
    ].join('\n');
    return make(m, 'degraded', 'warning', t.at, `${label(m)} is degraded`, body);
  }
  return undefined;
}

/** A reminder that a monitor is still down (see quiet.ts for when). */
export function reminderAlert(m: AlertMonitor, incident: OpenIncident, now: number): Alert {
  const body = [
    `${m.name} is still down on ${m.host} port ${m.port}.`,
    `Since: ${new Date(incident.startedAt).toISOString()} (for ${formatDuration(now - incident.startedAt)})`,
    `Why: ${why(incident)}`,
    'Acknowledge it to stop these reminders until its state changes.',
  ].join('\n');
  return make(
    m,
    'reminder',
    downSeverity(m),
    now,
    `${label(m)} is still DOWN (for ${formatDuration(now - incident.startedAt)})`,
    body,
  );
}

/** The id used for alerts about this machine rather than a monitor. */
export const ENGINE_SUBJECT = 'engine';

/**
 * This machine lost (or regained) its network: one alert, no per-monitor subjects. Tier 1 so that
 * nothing filters it by tier; routing sends it to the desktop only (router.ts).
 */
export function networkAlert(event: { type: 'offline' | 'online'; at: number }, offlineSince?: number): Alert {
  if (event.type === 'offline') {
    return {
      id: alertId(ENGINE_SUBJECT, 'offline', event.at),
      kind: 'offline',
      severity: 'warning',
      tier: 1,
      at: event.at,
      title: 'This machine is offline',
      body: [
        `this machine is offline: every remote host failed at network level (timeouts, unreachable, DNS) since ${new Date(event.at).toISOString()}.`,
        'The services are probably fine; alerts for single monitors are held back until the network is back.',
      ].join('\n'),
      subjects: [],
    };
  }
  const gone = offlineSince !== undefined ? ` after ${formatDuration(event.at - offlineSince)}` : '';
  return {
    id: alertId(ENGINE_SUBJECT, 'online', event.at),
    kind: 'online',
    severity: 'info',
    tier: 1,
    at: event.at,
    title: 'This machine is back online',
    body: `this machine is back online${gone}: every monitor is being checked again now.`,
    subjects: [],
  };
}

/** Engine events as the engine emits them (main/core/engine.ts), narrowed to what alerts. */
export type AlertableEvent =
  | { type: 'transition'; monitorId: string; transition: Transition }
  | { type: 'offline' | 'online'; at: number }
  | { type: 'result' | 'suspended' | 'resumed' };

/** Any engine event to its alert: transitions via transitionAlert, offline/online via networkAlert. */
export function eventAlert(
  event: AlertableEvent,
  monitorOf: (id: string) => AlertMonitor | undefined,
  offlineSince?: number,
): Alert | undefined {
  if (event.type === 'transition') {
    const m = monitorOf(event.monitorId);
    return m ? transitionAlert(m, event.transition) : undefined;
  }
  if (event.type === 'offline' || event.type === 'online') return networkAlert(event, offlineSince);
  return undefined;
}
