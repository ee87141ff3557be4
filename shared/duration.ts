/** "3 min 20 s", "2 h 5 min", "1 d 4 h", "12 s": precise enough to read, never to the millisecond. */
export function formatDuration(totalMs: number): string {
  const s = Math.max(0, Math.round(totalMs / 1000));
  const [d, h, m, sec] = [Math.floor(s / 86_400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60];
  const pair = (a: number, ua: string, b: number, ub: string): string => (b ? `${a} ${ua} ${b} ${ub}` : `${a} ${ua}`);
  if (d) return pair(d, 'd', h, 'h');
  if (h) return pair(h, 'h', m, 'min');
  if (m) return pair(m, 'min', sec, 's');
  return `${sec} s`;
}
