// The services most apps depend on, their default ports, how loudly they matter (tier) and
// which probe checks them. Protocol-specific checks plug in here through `check`.

import type { ProbeKind } from './probe';

export type Tier = 1 | 2 | 3;

export interface TierDefaults {
  tier: Tier;
  label: string;
  intervalSec: number;
  retries: number;
  retryIntervalSec: number;
  channels: ('desktop' | 'telegram' | 'email')[];
}

export const TIERS: Record<Tier, TierDefaults> = {
  1: {
    tier: 1,
    label: 'critical',
    intervalSec: 60,
    retries: 1,
    retryIntervalSec: 30,
    channels: ['desktop', 'telegram', 'email'],
  },
  2: {
    tier: 2,
    label: 'important',
    intervalSec: 300,
    retries: 1,
    retryIntervalSec: 30,
    channels: ['telegram', 'email'],
  },
  3: { tier: 3, label: 'tolerant', intervalSec: 900, retries: 1, retryIntervalSec: 30, channels: ['email'] },
};

export type ServiceCategory =
  'web' | 'remote' | 'database' | 'cache' | 'search' | 'mail' | 'file' | 'dns' | 'queue' | 'custom';

export interface ServicePort {
  port: number;
  /** The probe that checks this port when no service check is chosen. */
  check: ProbeKind;
  /** The service's own check for this port (Redis PING, …), where Portwatch has one. */
  serviceCheck?: string;
  note?: string;
}

export interface ServiceEntry {
  id: string;
  name: string;
  category: ServiceCategory;
  ports: ServicePort[];
  tier: Tier;
  /** A database, cache, queue or search port that should never answer on a public address. */
  privateOnly: boolean;
  /** What breaks when it is gone, shown in the add-monitor form. */
  impact: string;
  timeoutMs: number;
}

const tcp = (port: number, note?: string): ServicePort =>
  note ? { port, check: 'tcp', note } : { port, check: 'tcp' };

export const CATALOG: readonly ServiceEntry[] = [
  {
    id: 'http',
    name: 'HTTP',
    category: 'web',
    ports: [{ port: 80, check: 'http' }],
    tier: 1,
    privateOnly: false,
    impact: 'the site itself, http links',
    timeoutMs: 5000,
  },
  {
    id: 'https',
    name: 'HTTPS',
    category: 'web',
    ports: [{ port: 443, check: 'http' }],
    tier: 1,
    privateOnly: false,
    impact: 'the site itself, http links',
    timeoutMs: 5000,
  },
  {
    id: 'ssh',
    name: 'SSH / SFTP',
    category: 'remote',
    ports: [{ port: 22, check: 'tcp', serviceCheck: 'ssh' }],
    tier: 3,
    privateOnly: false,
    impact: 'deploys, remote debugging, file transfer',
    timeoutMs: 3000,
  },
  {
    id: 'postgres',
    name: 'PostgreSQL',
    category: 'database',
    ports: [{ port: 5432, check: 'tcp', serviceCheck: 'postgres' }],
    tier: 1,
    privateOnly: true,
    impact: 'every dynamic page and transaction',
    timeoutMs: 2000,
  },
  {
    id: 'mysql',
    name: 'MySQL / MariaDB',
    category: 'database',
    ports: [{ port: 3306, check: 'tcp', serviceCheck: 'mysql' }],
    tier: 1,
    privateOnly: true,
    impact: 'WordPress/Laravel-style apps',
    timeoutMs: 2000,
  },
  {
    id: 'redis',
    name: 'Redis',
    category: 'cache',
    ports: [{ port: 6379, check: 'tcp', serviceCheck: 'redis' }],
    tier: 2,
    privateOnly: true,
    impact: 'cache, sessions, background jobs',
    timeoutMs: 2000,
  },
  {
    id: 'mongodb',
    name: 'MongoDB',
    category: 'database',
    ports: [{ port: 27017, check: 'tcp', serviceCheck: 'mongodb' }],
    tier: 1,
    privateOnly: true,
    impact: 'document data, APIs',
    timeoutMs: 2000,
  },
  {
    id: 'elasticsearch',
    name: 'Elasticsearch / OpenSearch',
    category: 'search',
    ports: [{ port: 9200, check: 'tcp', serviceCheck: 'elasticsearch' }],
    tier: 2,
    privateOnly: true,
    impact: 'search and product discovery',
    timeoutMs: 3000,
  },
  {
    id: 'solr',
    name: 'Solr',
    category: 'search',
    ports: [{ port: 8983, check: 'tcp', serviceCheck: 'solr' }],
    tier: 2,
    privateOnly: true,
    impact: 'search',
    timeoutMs: 3000,
  },
  {
    id: 'smtp',
    name: 'SMTP',
    category: 'mail',
    ports: [
      { port: 25, check: 'tcp', serviceCheck: 'smtp', note: 'relay' },
      { port: 587, check: 'tcp', serviceCheck: 'smtp', note: 'submission, STARTTLS' },
      { port: 465, check: 'tls', serviceCheck: 'smtp', note: 'implicit TLS' },
    ],
    tier: 3,
    privateOnly: false,
    impact: 'password resets, order mails, alerts',
    timeoutMs: 5000,
  },
  {
    id: 'imap',
    name: 'IMAP',
    category: 'mail',
    ports: [
      { port: 993, check: 'tls', serviceCheck: 'imap', note: 'implicit TLS' },
      { port: 143, check: 'tcp', serviceCheck: 'imap', note: 'STARTTLS' },
    ],
    tier: 3,
    privateOnly: false,
    impact: 'support inbox',
    timeoutMs: 5000,
  },
  {
    id: 'pop3',
    name: 'POP3',
    category: 'mail',
    ports: [
      { port: 995, check: 'tls', serviceCheck: 'pop3', note: 'implicit TLS' },
      { port: 110, check: 'tcp', serviceCheck: 'pop3', note: 'STLS' },
    ],
    tier: 3,
    privateOnly: false,
    impact: 'mail pickup by clients and integrations',
    timeoutMs: 5000,
  },
  {
    id: 'ftp',
    name: 'FTP',
    category: 'file',
    ports: [{ port: 21, check: 'tcp', serviceCheck: 'ftp' }],
    tier: 3,
    privateOnly: false,
    impact: 'uploads, exports, integrations',
    timeoutMs: 3000,
  },
  {
    id: 'dns',
    name: 'DNS',
    category: 'dns',
    ports: [{ port: 53, check: 'tcp', serviceCheck: 'dns' }],
    tier: 1,
    privateOnly: false,
    impact: 'every name lookup',
    timeoutMs: 2000,
  },
  {
    id: 'amqp',
    name: 'RabbitMQ (AMQP)',
    category: 'queue',
    ports: [{ port: 5672, check: 'tcp', serviceCheck: 'amqp' }],
    tier: 2,
    privateOnly: true,
    impact: 'background tasks, pipelines',
    timeoutMs: 3000,
  },
  {
    id: 'mqtt',
    name: 'MQTT broker',
    category: 'queue',
    ports: [{ port: 1883, check: 'tcp', serviceCheck: 'mqtt' }],
    tier: 2,
    privateOnly: true,
    impact: 'device telemetry, event streams',
    timeoutMs: 3000,
  },
  {
    id: 'memcached',
    name: 'Memcached',
    category: 'cache',
    ports: [{ port: 11211, check: 'tcp', serviceCheck: 'memcached' }],
    tier: 2,
    privateOnly: true,
    impact: 'object cache; the database takes the load',
    timeoutMs: 2000,
  },
  {
    id: 'custom-api',
    name: 'Custom API',
    category: 'custom',
    ports: [tcp(3000), tcp(8080)],
    tier: 1,
    privateOnly: false,
    impact: 'microservices failing silently',
    timeoutMs: 3000,
  },
];

export const serviceById = (id: string): ServiceEntry | undefined => CATALOG.find((s) => s.id === id);

/** The catalog entries whose default ports include `port`, best guess first. */
export const servicesForPort = (port: number): ServiceEntry[] =>
  CATALOG.filter((s) => s.ports.some((p) => p.port === port));
