import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyPair } from './certs';
import { startDaemon, waitForPort, type Daemon } from './daemons';
import { closedPort } from './net';

/** The page nginx serves at `/`. */
export const NGINX_INDEX = '<!doctype html><title>portwatch</title><p>portwatch nginx ok</p>\n';

/** nginx, and with `tls` the port it also serves HTTPS on. */
export interface WebDaemon extends Daemon {
  tlsPort?: number;
}

/**
 * nginx (Debian: nginx-light) in the foreground with its prefix, configuration, pid file, logs,
 * temp paths and a static index.html all in the throwaway folder: HTTP on the port and, with
 * `tls`, HTTPS with that certificate on a second free port. Ready once both ports accept.
 */
export async function startNginx(options: { tls?: KeyPair } = {}): Promise<WebDaemon> {
  const tlsPort = options.tls ? await closedPort() : undefined;
  const daemon = await startDaemon(
    'nginx',
    (port, dir) => {
      const html = join(dir, 'html');
      mkdirSync(html);
      mkdirSync(join(dir, 'logs'));
      writeFileSync(join(html, 'index.html'), NGINX_INDEX);
      const tls: string[] = [];
      if (options.tls && tlsPort !== undefined) {
        writeFileSync(join(dir, 'cert.pem'), options.tls.cert);
        writeFileSync(join(dir, 'key.pem'), options.tls.key, { mode: 0o600 });
        tls.push(
          `    listen 127.0.0.1:${tlsPort} ssl;`,
          `    ssl_certificate ${join(dir, 'cert.pem')};`,
          `    ssl_certificate_key ${join(dir, 'key.pem')};`,
        );
      }
      const temp = (name: string): string => join(dir, `${name}_temp`);
      writeFileSync(
        join(dir, 'nginx.conf'),
        [
          // As root, workers would switch to nobody/www-data and could not read the folder.
          ...(process.getuid?.() === 0 ? ['user root;'] : []),
          'worker_processes 1;',
          `pid ${join(dir, 'nginx.pid')};`,
          `error_log ${join(dir, 'logs', 'error.log')} warn;`,
          'events { worker_connections 64; }',
          'http {',
          '  access_log off;',
          `  client_body_temp_path ${temp('client_body')};`,
          `  proxy_temp_path ${temp('proxy')};`,
          `  fastcgi_temp_path ${temp('fastcgi')};`,
          `  uwsgi_temp_path ${temp('uwsgi')};`,
          `  scgi_temp_path ${temp('scgi')};`,
          '  default_type text/html;',
          '  server {',
          `    listen 127.0.0.1:${port};`,
          ...tls,
          '    server_name localhost;',
          `    root ${html};`,
          '    index index.html;',
          '  }',
          '}',
          '',
        ].join('\n'),
      );
      // -e: the log nginx writes before it reads the configuration, kept out of /var/log.
      return ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs', 'error.log'), '-g', 'daemon off;'];
    },
    {
      ready: async (port, child, log) => {
        await waitForPort(port, child, log);
        if (tlsPort !== undefined) await waitForPort(tlsPort, child, log);
      },
    },
  );
  return tlsPort === undefined ? daemon : { ...daemon, tlsPort };
}
