import { spawnSync } from 'node:child_process';

/**
 * What Prometheus's own tool finds in a metrics text: every parse error, and lint findings less
 * the known and accepted ones (prom-client's nodejs_active_*_total gauges, and
 * portwatch_certificate_days_left, named in days on purpose).
 */
export function promtoolProblems(text: string): string[] {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error) throw run.error;
  if (run.status === 0) return [];
  const lines = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '');
  if (run.status !== 3) return lines;
  const accepted = /^(nodejs_active_(handles|requests|resources)_total|portwatch_certificate_days_left) /;
  return lines.filter((l) => !accepted.test(l));
}
