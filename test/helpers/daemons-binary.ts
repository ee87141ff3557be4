import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, waitForPort, type Daemon } from './daemons';
import { closedPort } from './net';

/** Waits for the port, then for a line in the server's log saying it is ready. */
const readyWhenLogged =
  (line: string, ms = 20_000) =>
  async (port: number, child: ChildProcess, log: () => string): Promise<void> => {
    const deadline = Date.now() + ms;
    await waitForPort(port, child, log, ms);
    while (!log().includes(line)) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${log()}`);
      if (Date.now() > deadline) throw new Error(`the server did not log "${line}" within ${ms} ms: ${log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

/** A self-signed certificate for localhost and 127.0.0.1 made with openssl (key mode 0600). */
function selfSignedCert(dir: string): { key: string; cert: string } {
  const key = join(dir, 'server.key');
  const cert = join(dir, 'server.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  chmodSync(key, 0o600);
  return { key, cert };
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (setpriv execs, so signals reach it). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--reuid', 'postgres', '--regid', 'postgres', '--init-groups', command, ...args]];
}

function postgresIds(): { uid: number; gid: number } {
  if (process.getuid?.() !== 0) return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  };
}

/**
 * PostgreSQL 15 (Debian postgresql-15) on a free loopback port: a fresh cluster (initdb, trust,
 * no fsync) in the throwaway folder, which is prepared before the server starts. With `ssl`, a
 * self-signed certificate for localhost made with openssl.
 */
export const startPostgres = (options: { ssl?: boolean } = {}): Promise<Daemon> => {
  const [command] = asPostgres(`${PG_BIN}/postgres`, []);
  return startDaemon(
    command,
    (port, dir) => {
      const { uid, gid } = postgresIds();
      chownSync(dir, uid, gid);
      const [initdb, initArgs] = asPostgres(`${PG_BIN}/initdb`, [
        '-D',
        join(dir, 'data'),
        '-A',
        'trust',
        '-U',
        'postgres',
        '--no-sync',
        '--no-instructions',
        '-E',
        'UTF8',
        '--locale=C',
      ]);
      execFileSync(initdb, initArgs, { stdio: 'pipe' });
      const ssl: string[] = [];
      if (options.ssl) {
        const { key, cert } = selfSignedCert(dir);
        for (const f of [key, cert]) chownSync(f, uid, gid);
        ssl.push('-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`);
      }
      const args = [
        '-D',
        join(dir, 'data'),
        '-k',
        dir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        ...ssl,
      ];
      return asPostgres(`${PG_BIN}/postgres`, args)[1];
    },
    { ready: readyWhenLogged('database system is ready to accept connections') },
  );
};

/**
 * MariaDB 10.11 (Debian mariadb-server) on a free loopback port: a fresh data directory
 * (mariadb-install-db) in the throwaway folder, no defaults files, at most 10 clients (so a
 * test can fill it and see "Too many connections"). With `ssl`, a self-signed certificate.
 */
export const startMariadb = (options: { ssl?: boolean } = {}): Promise<Daemon> =>
  startDaemon(
    'mariadbd',
    (port, dir) => {
      const data = join(dir, 'data');
      execFileSync(
        'mariadb-install-db',
        [
          '--no-defaults',
          `--datadir=${data}`,
          '--auth-root-authentication-method=normal',
          '--user=root',
          '--skip-test-db',
        ],
        { stdio: 'pipe' },
      );
      const tls: string[] = [];
      if (options.ssl) {
        const { key, cert } = selfSignedCert(dir);
        tls.push(`--ssl-cert=${cert}`, `--ssl-key=${key}`);
      }
      return [
        '--no-defaults',
        `--datadir=${data}`,
        `--socket=${join(dir, 'sock')}`,
        `--pid-file=${join(dir, 'pid')}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--user=root',
        '--skip-name-resolve',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=8M',
        '--max-connections=10',
        ...tls,
      ];
    },
    { ready: readyWhenLogged('ready for connections') },
  );

const RABBITMQ = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/**
 * RabbitMQ (Debian rabbitmq-server, on Erlang) on a free loopback port: node name, data, logs,
 * config, plugins and the Erlang cookie ($HOME) all in the throwaway folder. It gets its own
 * epmd on a free port (ERL_EPMD_PORT), run in the foreground and stopped with it, so no epmd
 * daemon is left behind on 4369. Slow: it takes some seconds to start.
 */
export async function startRabbitmq(): Promise<Daemon> {
  const epmdPort = await closedPort();
  const distPort = await closedPort();
  const epmd = spawn('epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], { stdio: 'ignore' });
  const stopEpmd = async (): Promise<void> => {
    if (epmd.exitCode !== null || epmd.signalCode !== null) return;
    const exited = new Promise((r) => epmd.once('exit', r));
    epmd.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForPort(epmdPort, epmd, () => 'epmd', 5000);
    const rabbit = await startDaemon(
      'env',
      (port, dir) => {
        mkdirSync(join(dir, 'home'));
        writeFileSync(join(dir, 'rabbitmq.conf'), `listeners.tcp.1 = 127.0.0.1:${port}\n`);
        writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
        return [
          `HOME=${join(dir, 'home')}`,
          `ERL_EPMD_PORT=${epmdPort}`,
          `RABBITMQ_NODE_PORT=${port}`,
          'RABBITMQ_NODE_IP_ADDRESS=127.0.0.1',
          `RABBITMQ_DIST_PORT=${distPort}`,
          `RABBITMQ_NODENAME=pwtest${port}@localhost`,
          `RABBITMQ_MNESIA_BASE=${join(dir, 'mnesia')}`,
          `RABBITMQ_LOG_BASE=${join(dir, 'log')}`,
          'RABBITMQ_LOGS=-',
          `RABBITMQ_PID_FILE=${join(dir, 'pid')}`,
          `RABBITMQ_CONFIG_FILE=${join(dir, 'rabbitmq.conf')}`,
          `RABBITMQ_ENABLED_PLUGINS_FILE=${join(dir, 'enabled_plugins')}`,
          RABBITMQ,
        ];
      },
      { ready: readyWhenLogged('Server startup complete', 60_000) },
    );
    return {
      ...rabbit,
      stop: async () => {
        await rabbit.stop();
        await stopEpmd();
      },
    };
  } catch (e) {
    await stopEpmd();
    throw e;
  }
}

/**
 * Mosquitto 2 (Debian mosquitto) on a free loopback port, with a config file in the throwaway
 * folder: no persistence, logging to stderr; anonymous clients allowed unless `anonymous` is false.
 */
export const startMosquitto = (options: { anonymous?: boolean } = {}): Promise<Daemon> =>
  startDaemon(
    'mosquitto',
    (port, dir) => {
      const conf = join(dir, 'mosquitto.conf');
      writeFileSync(
        conf,
        [
          `listener ${port} 127.0.0.1`,
          `allow_anonymous ${options.anonymous === false ? 'false' : 'true'}`,
          'persistence false',
          'log_dest stderr',
          // As root it would switch to the mosquitto user; stay, the folder is root's.
          ...(process.getuid?.() === 0 ? ['user root'] : []),
          '',
        ].join('\n'),
      );
      return ['-c', conf];
    },
    { ready: readyWhenLogged('running') },
  );
