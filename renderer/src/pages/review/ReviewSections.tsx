import { formatDuration, formatMs, formatPct, formatTime } from '../../format';
import { href } from '../../router';
import type { MonitorRow, Review } from './review';

const orDash = (ms: number | null): string => (ms === null ? '–' : formatDuration(ms));

export function Summary({ review: { summary: s } }: { review: Review }) {
  return (
    <section aria-labelledby="review-summary" className="panel">
      <h3 id="review-summary">Summary</h3>
      <dl className="figures">
        <div>
          <dt>Incidents</dt>
          <dd>
            {s.incidents}
            {s.ongoing > 0 && <span className="small"> ({s.ongoing} still going on)</span>}
          </dd>
        </div>
        <div>
          <dt>Monitors affected</dt>
          <dd>{s.monitorsAffected}</dd>
        </div>
        <div>
          <dt>Downtime</dt>
          <dd>{formatDuration(s.downtimeMs)}</dd>
        </div>
        <div>
          <dt>Time to recover (mean)</dt>
          <dd>{orDash(s.meanRecoveryMs)}</dd>
        </div>
        <div>
          <dt>Time to recover (median)</dt>
          <dd>{orDash(s.medianRecoveryMs)}</dd>
        </div>
        <div>
          <dt>Longest incident</dt>
          <dd>{orDash(s.longestMs)}</dd>
        </div>
      </dl>
    </section>
  );
}

export function Incidents({ review }: { review: Review }) {
  return (
    <section aria-labelledby="review-incidents" className="panel">
      <h3 id="review-incidents">Incidents of the week</h3>
      {review.incidents.length === 0 ? (
        <p>No incident this week.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Incidents of the week, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Monitor</th>
                <th scope="col">Started</th>
                <th scope="col">Recovered</th>
                <th scope="col">Duration</th>
                <th scope="col">Cause</th>
              </tr>
            </thead>
            <tbody>
              {review.incidents.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    <a href={href.monitor(i.monitorId)}>{i.name}</a>
                  </th>
                  <td>{formatTime(i.startedAt)}</td>
                  <td>
                    {i.endedAt === null ? (
                      <span className="status status-down">
                        <span className="status-glyph" aria-hidden="true">
                          ✕
                        </span>
                        Still down
                      </span>
                    ) : (
                      formatTime(i.endedAt)
                    )}
                  </td>
                  <td>
                    {formatDuration(i.durationMs)}
                    {i.endedAt === null && <span className="muted small"> so far</span>}
                  </td>
                  <td>{i.diagnosis}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RankList({
  id,
  title,
  rows,
  empty,
  what,
}: {
  id: string;
  title: string;
  rows: MonitorRow[];
  empty: string;
  what: (r: MonitorRow) => string;
}) {
  return (
    <section aria-labelledby={id} className="panel rank">
      <h3 id={id}>{title}</h3>
      {rows.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <ol>
          {rows.map((r) => (
            <li key={r.monitorId}>
              <a href={href.monitor(r.monitorId)}>{r.name}</a> <span className="muted small">{r.target}</span>
              <br />
              {what(r)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function Rankings({ review }: { review: Review }) {
  const plural = (n: number) => `${n} incident${n === 1 ? '' : 's'}`;
  return (
    <div className="rankings">
      <RankList
        id="review-flapping"
        title="Flapping"
        rows={review.flapping}
        empty="No monitor flapped."
        what={(r) => `${plural(r.incidents)}${r.flappingNow ? ', flapping now' : ''}`}
      />
      <RankList
        id="review-noisiest"
        title="Noisiest"
        rows={review.noisiest}
        empty="No monitor had an incident."
        what={(r) => `${plural(r.incidents)}, ${formatDuration(r.downtimeMs)} down`}
      />
      <RankList
        id="review-slowest"
        title="Slowest (p95)"
        rows={review.slowest}
        empty="No passing check to measure."
        what={(r) => `p95 ${formatMs(r.p95Ms)}`}
      />
    </div>
  );
}

export function UptimeTable({ review }: { review: Review }) {
  return (
    <section aria-labelledby="review-uptime" className="panel">
      <h3 id="review-uptime">Uptime</h3>
      {review.uptime.length === 0 ? (
        <p>No monitor yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="uptime">
            <caption className="visually-hidden">Uptime of every monitor over the week, least available first</caption>
            <thead>
              <tr>
                <th scope="col">Monitor</th>
                <th scope="col">Target</th>
                <th scope="col">Tier</th>
                <th scope="col" className="num">
                  Checks
                </th>
                <th scope="col" className="num">
                  Uptime
                </th>
                <th scope="col" className="num">
                  p95
                </th>
                <th scope="col" className="num">
                  Incidents
                </th>
                <th scope="col" className="num">
                  Downtime
                </th>
              </tr>
            </thead>
            <tbody>
              {review.uptime.map((m) => (
                <tr key={m.monitorId}>
                  <th scope="row">
                    <a href={href.monitor(m.monitorId)}>{m.name}</a>
                  </th>
                  <td>{m.target}</td>
                  <td>{m.tier}</td>
                  <td className="num">{m.checks}</td>
                  <td className="num">{m.checks ? formatPct(m.upPct) : 'no checks'}</td>
                  <td className="num">{formatMs(m.p95Ms)}</td>
                  <td className="num">{m.incidents}</td>
                  <td className="num">{m.downtimeMs ? formatDuration(m.downtimeMs) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
