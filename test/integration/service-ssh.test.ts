import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type LoggingDaemon } from '../helpers/daemons-text';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

/** Waits until the daemon's log, past `from`, has a line matching `pattern`; returns that part. */
async function logAfter(daemon: LoggingDaemon, from: number, pattern: RegExp, ms = 3000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const tail = daemon.log().slice(from);
    if (pattern.test(tail) || Date.now() > deadline) return tail;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SSH check against a real OpenSSH sshd', () => {
  let sshd: LoggingDaemon;
  beforeAll(async () => {
    sshd = await startSshd('portwatch-test');
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('reads the banner: protocol, software, version and comments', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: sshd.port }, { check: 'ssh' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^SSH banner: SSH-2\.0-OpenSSH_\d+\.\d+p\d+ .*portwatch-test$/);
    expect(result.facts).toMatchObject({ protocol: '2.0', software: 'OpenSSH' });
    expect(result.facts?.version).toMatch(/^\d+\.\d+p\d+$/);
    expect(result.facts?.comments).toMatch(/portwatch-test$/);
    expect(result.phases.greeting).toBeGreaterThan(0);
  });

  it('identifies itself before leaving, so sshd logs a plain disconnect', async () => {
    const from = sshd.log().length;
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: sshd.port }, { check: 'ssh' }, 2000);
    expect(result.outcome).toBe('ok');
    const log = await logAfter(sshd, from, /Connection closed by 127\.0\.0\.1/);
    expect(log).toMatch(/Connection closed by 127\.0\.0\.1 port \d+ \[preauth\]/);
    expect(log).not.toMatch(/kex_exchange_identification|Did not receive identification/);
  });

  it('skips the text lines RFC 4253 allows before the banner', async () => {
    const chatty = await listen((s) =>
      s.write('Authorized use only.\r\nAll access is logged.\r\nSSH-2.0-dropbear_2022.83\r\n'),
    );
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: chatty.port }, { check: 'ssh' }, 2000);
      expect(result.outcome).toBe('ok');
      expect(result.detail).toBe('SSH banner: SSH-2.0-dropbear_2022.83');
      expect(result.facts).toEqual({ protocol: '2.0', software: 'dropbear', version: '2022.83' });
    } finally {
      await chatty.close();
    }
  });

  it('an SSH-1-only server answers, flagged obsolete', async () => {
    const old = await listen((s) => s.write('SSH-1.5-OldServer_1.2.3\n'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: old.port }, { check: 'ssh' }, 2000);
      expect(result.outcome).toBe('ok');
      expect(result.detail).toBe('SSH banner: SSH-1.5-OldServer_1.2.3 (only SSH protocol 1.5, obsolete and insecure)');
      expect(result.facts).toEqual({ protocol: '1.5', software: 'OldServer', version: '1.2.3' });
    } finally {
      await old.close();
    }
  });

  it('another line protocol on the port is a protocol mismatch quoting its greeting, said at once', async () => {
    const smtp = await listen((s) => s.write('220 mail.example ESMTP Postfix\r\n'));
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: smtp.port },
        { check: 'ssh' },
        600,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('expected an SSH banner ("SSH-2.0-…"), got "220 mail.example ESMTP Postfix"');
      // A greeting of another service is recognised, not waited out to the deadline.
      expect(waited).toBeLessThan(300);
    } finally {
      await smtp.close();
    }
  });

  it('a greeting and a close is a mismatch too, and quick', async () => {
    const ftp = await listen((s) => s.end('421 Too many connections\r\n'));
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: ftp.port },
        { check: 'ssh' },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('expected an SSH banner ("SSH-2.0-…"), got "421 Too many connections"');
      expect(waited).toBeLessThan(1000);
    } finally {
      await ftp.close();
    }
  });

  it('garbage is quoted with escapes, never raw', async () => {
    const junk = await listen((s) => s.write(Buffer.from('\x00\x1b[2Jhello\xff\r\n', 'latin1')));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: junk.port }, { check: 'ssh' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('expected an SSH banner ("SSH-2.0-…"), got "\\x00\\x1b[2Jhello\\xff"');
    } finally {
      await junk.close();
    }
  });

  it('a line longer than 255 bytes is not an SSH banner', async () => {
    const long = await listen((s) => s.write('x'.repeat(1000)));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: long.port }, { check: 'ssh' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toMatch(
        /^expected an SSH banner \("SSH-2\.0-…"\), got a line longer than 255 bytes: "x{80}(…|\\x2026)"$/,
      );
    } finally {
      await long.close();
    }
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: silent.port },
        { check: 'ssh' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('waited for an SSH banner ("SSH-2.0-…") until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });
});
