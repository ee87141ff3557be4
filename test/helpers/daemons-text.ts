import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyPair } from './certs';
import { startDaemon, waitForPort, type Daemon } from './daemons';
import { closedPort } from './net';

/** A daemon whose output (stdout and stderr so far) the test can read. */
export interface LoggingDaemon extends Daemon {
  log: () => string;
}

/**
 * Starts a daemon like startDaemon, keeping a way to read what it has logged. With `readyLine`,
 * it is ready when its log says so, rather than after a test connection (which it would log).
 */
async function startLogging(
  command: string,
  args: (port: number, dir: string) => string[],
  readyLine?: RegExp,
): Promise<LoggingDaemon> {
  let read = (): string => '';
  const daemon = await startDaemon(command, args, {
    ready: async (port, child, log) => {
      read = log;
      if (!readyLine) return waitForPort(port, child, log);
      const deadline = Date.now() + 20_000;
      while (!readyLine.test(log())) {
        if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}: ${log()}`);
        if (Date.now() > deadline) throw new Error(`${command} did not start on ${port}: ${log()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  });
  return { ...daemon, log: () => read() };
}

/** memcached (Debian: memcached) on loopback, TCP only; with `auth`, ASCII authentication (-Y). */
export const startMemcached = (auth?: { user: string; password: string }): Promise<Daemon> =>
  startDaemon('memcached', (port, dir) => {
    const authArgs: string[] = [];
    if (auth) {
      const file = join(dir, 'auth');
      writeFileSync(file, `${auth.user}:${auth.password}\n`);
      authArgs.push('-Y', file);
    }
    return ['-l', '127.0.0.1', '-p', String(port), '-u', 'root', '-U', '0', ...authArgs];
  });

/**
 * OpenSSH's sshd (Debian: openssh-server; the host key from openssh-client's ssh-keygen) in the
 * foreground, logging to stderr, with its configuration and a fresh ed25519 host key in the
 * folder. `addendum` is appended to its banner (VersionAddendum).
 */
export const startSshd = (addendum = 'portwatch-test'): Promise<LoggingDaemon> => {
  // sshd refuses to start without its privilege-separation directory.
  mkdirSync('/run/sshd', { recursive: true });
  return startLogging(
    '/usr/sbin/sshd',
    (port, dir) => {
      const key = join(dir, 'key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
      const config = join(dir, 'sshd_config');
      writeFileSync(
        config,
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${key}`,
          `PidFile ${join(dir, 'pid')}`,
          'UsePAM no',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PermitRootLogin no',
          `VersionAddendum ${addendum}`,
          '',
        ].join('\n'),
      );
      return ['-D', '-e', '-f', config];
    },
    /Server listening on 127\.0\.0\.1 port \d+/,
  );
};

/** A daemon that also listens with implicit TLS on a second port. */
export interface TlsDaemon extends LoggingDaemon {
  tlsPort: number;
}

const uidOf = (user: string): number => Number(execFileSync('id', ['-u', user]).toString().trim());

/**
 * Postfix (Debian: postfix) as a throwaway instance: its master in the foreground (-d) with
 * main.cf and master.cf in the folder, logging to maillog there, smtpd on the port (STARTTLS offered
 * with `pair`) and on `tlsPort` with implicit TLS (smtps). Only what smtpd needs for a session
 * runs: anvil, proxymap, tlsmgr and postlogd; nothing is delivered.
 */
export async function startPostfix(pair: KeyPair): Promise<TlsDaemon> {
  const tlsPort = await closedPort();
  const daemon = await startLogging('/usr/lib/postfix/sbin/master', (port, dir) => {
    // Postfix's own processes run as the postfix user and must reach the folder.
    chmodSync(dir, 0o755);
    const queue = join(dir, 'queue');
    for (const sub of ['pid', 'public', 'private']) mkdirSync(join(queue, sub), { recursive: true });
    mkdirSync(join(dir, 'data'));
    const postfix = uidOf('postfix');
    for (const owned of [join(queue, 'public'), join(queue, 'private'), join(dir, 'data')])
      chownSync(owned, postfix, 0);
    writeFileSync(join(dir, 'cert.pem'), pair.cert);
    writeFileSync(join(dir, 'key.pem'), pair.key, { mode: 0o600 });
    writeFileSync(
      join(dir, 'main.cf'),
      [
        'compatibility_level = 3.6',
        `queue_directory = ${queue}`,
        `data_directory = ${join(dir, 'data')}`,
        'mail_owner = postfix',
        'inet_interfaces = 127.0.0.1',
        'inet_protocols = ipv4',
        'myhostname = mx.portwatch.test',
        'mydestination =',
        'local_recipient_maps =',
        'alias_maps =',
        'alias_database =',
        'smtpd_banner = $myhostname ESMTP portwatch-test',
        'maillog_file = /dev/stdout',
        `smtpd_tls_cert_file = ${join(dir, 'cert.pem')}`,
        `smtpd_tls_key_file = ${join(dir, 'key.pem')}`,
        'smtpd_tls_security_level = may',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'master.cf'),
      [
        `127.0.0.1:${port} inet n - n - - smtpd`,
        `127.0.0.1:${tlsPort} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes`,
        'anvil unix - - n - 1 anvil',
        'proxymap unix - - n - - proxymap',
        'tlsmgr unix - - n 1000? 1 tlsmgr',
        'postlog unix-dgram n - n - 1 postlogd',
        '',
      ].join('\n'),
    );
    return ['-d', '-c', dir];
  });
  return { ...daemon, tlsPort };
}

/** smtp-sink (Debian: postfix), Postfix's test SMTP server; `flags` such as -e (no ESMTP). */
export const startSmtpSink = (...flags: string[]): Promise<Daemon> =>
  startDaemon('/usr/sbin/smtp-sink', (port) => ['-u', 'nobody', ...flags, `127.0.0.1:${port}`, '10']);

/** Dovecot's four listeners. */
export interface MailDaemon extends LoggingDaemon {
  imap: number;
  imaps: number;
  pop3: number;
  pop3s: number;
}

/**
 * Dovecot (Debian: dovecot-core, dovecot-imapd, dovecot-pop3d) in the foreground (-F) with its
 * configuration, certificate, runtime and state folders in the throwaway folder: IMAP and POP3
 * with STARTTLS on, IMAPS and POP3S with implicit TLS, an empty password file (no one can log
 * in), logging to stderr.
 */
export async function startDovecot(pair: KeyPair): Promise<MailDaemon> {
  const [imaps, pop3, pop3s] = [await closedPort(), await closedPort(), await closedPort()];
  let imap = 0;
  const daemon = await startLogging('/usr/sbin/dovecot', (port, dir) => {
    imap = port;
    // Its login processes run as dovenull and must reach the runtime folder.
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'cert.pem'), pair.cert);
    writeFileSync(join(dir, 'key.pem'), pair.key, { mode: 0o600 });
    writeFileSync(join(dir, 'passwd'), '');
    const config = join(dir, 'dovecot.conf');
    const listener = (name: string, p: number, ssl: boolean): string =>
      `  inet_listener ${name} {\n    port = ${p}\n    ssl = ${ssl ? 'yes' : 'no'}\n  }`;
    writeFileSync(
      config,
      [
        `base_dir = ${join(dir, 'run')}`,
        `state_dir = ${join(dir, 'state')}`,
        'log_path = /dev/stderr',
        'protocols = imap pop3',
        'listen = 127.0.0.1',
        'ssl = yes',
        `ssl_cert = <${join(dir, 'cert.pem')}`,
        `ssl_key = <${join(dir, 'key.pem')}`,
        `mail_location = maildir:${join(dir, 'mail')}/%u`,
        `passdb {\n  driver = passwd-file\n  args = ${join(dir, 'passwd')}\n}`,
        `userdb {\n  driver = static\n  args = uid=root gid=root home=${join(dir, 'home')}/%u\n}`,
        `service imap-login {\n${listener('imap', port, false)}\n${listener('imaps', imaps, true)}\n}`,
        `service pop3-login {\n${listener('pop3', pop3, false)}\n${listener('pop3s', pop3s, true)}\n}`,
        '',
      ].join('\n'),
    );
    return ['-F', '-c', config];
  });
  return { ...daemon, imap, imaps, pop3, pop3s };
}

/**
 * vsftpd (Debian: vsftpd) standalone in the foreground with its configuration in the folder.
 * No one can log in (an empty allow-list). With `pair`, AUTH TLS is offered; with `implicit`
 * too, TLS comes first (FTPS). `refuse` disables every kind of login, which vsftpd answers
 * with a "500 OOPS" greeting.
 */
export const startVsftpd = (options: { pair?: KeyPair; implicit?: boolean; refuse?: boolean } = {}): Promise<Daemon> =>
  startDaemon('/usr/sbin/vsftpd', (port, dir) => {
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'userlist'), '');
    const lines = [
      'listen=YES',
      'listen_ipv6=NO',
      `listen_port=${port}`,
      'listen_address=127.0.0.1',
      'background=NO',
      'anonymous_enable=NO',
      `local_enable=${options.refuse ? 'NO' : 'YES'}`,
      'userlist_enable=YES',
      'userlist_deny=NO',
      `userlist_file=${join(dir, 'userlist')}`,
      `secure_chroot_dir=${join(dir, 'empty')}`,
      'ftpd_banner=portwatch-test FTP ready',
      `vsftpd_log_file=${join(dir, 'log')}`,
    ];
    if (options.pair) {
      writeFileSync(join(dir, 'cert.pem'), options.pair.cert);
      writeFileSync(join(dir, 'key.pem'), options.pair.key, { mode: 0o600 });
      lines.push(
        'ssl_enable=YES',
        `rsa_cert_file=${join(dir, 'cert.pem')}`,
        `rsa_private_key_file=${join(dir, 'key.pem')}`,
      );
      if (options.implicit) lines.push('implicit_ssl=YES');
    }
    const config = join(dir, 'vsftpd.conf');
    writeFileSync(config, `${lines.join('\n')}\n`);
    return [config];
  });
