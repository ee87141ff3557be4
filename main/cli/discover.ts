import { createInterface, type Interface } from 'node:readline';
import { serviceById } from '../../shared/catalog';
import { ConfigError, openCliConfig } from '../core/config/store';
import { parseHosts, scanSizeProblem, MAX_RANGE_ADDRESSES } from '../core/discover/hosts';
import { BUDGET_TIMEOUTS } from '../core/discover/identify';
import { CATALOG_PORTS, TOP_PORTS, parsePorts } from '../core/discover/ports';
import { propose, type Proposal, type ProposedMonitor } from '../core/discover/propose';
import { DEFAULT_CONCURRENCY, MAX_IN_FLIGHT, scan, type PortResult } from '../core/discover/scan';
import { sameTarget } from '../core/formats/portwatch';
import { ms } from './format';
import { UsageError, parseCommandArgs, type CommandIO } from './io';
import { table } from './table';
import { hostProblem } from './target';

const DEFAULT_TIMEOUT_MS = 2000;

export const DISCOVER_HELP = `Usage: portwatch discover <host | CIDR range> [options]

Finds the services on a host and proposes monitors for them. It connects to the ports, names
what answers with each service's own check, so Redis on 6380 or SSH on 2222 is still named
right, and reports closed (refused) and filtered (no answer, e.g. a firewall DROP) ports.
A port that accepts but matches no check is "open, unidentified" and proposed as a tcp monitor.

Only what you name is scanned: one host or address. A CIDR range (192.168.1.0/24) is scanned
only when given explicitly, at most ${MAX_RANGE_ADDRESSES} addresses (a /24), and only once you confirm it
(or --yes). Scan only hosts you run or are allowed to test.

Options:
  --ports <spec>       catalog (default: the catalog's ${CATALOG_PORTS.length} service ports), top (${TOP_PORTS.length} common
                       service ports), a list (22,80,6379), a range (8000-8100), or several of
                       these with commas (top,8000-8100)
  --timeout <ms>       bounds the connection and each identification attempt (default ${DEFAULT_TIMEOUT_MS});
                       a port takes at most ${BUDGET_TIMEOUTS} × this in all
  --concurrency <n>    ports in flight per host (default ${DEFAULT_CONCURRENCY}, at most ${MAX_IN_FLIGHT})
  --json               print a JSON array of port results (state, service, detail, proposal)
  --add                add the proposed monitors to the saved ones, after showing them and
                       asking; one already saved (same kind of check, host and port) is skipped
  --yes                answer yes: to scanning a range, and to --add

Exit status: 0 when the scan ran, 1 when a question was answered no or the host name does not
resolve, 2 on bad usage.`;

const OPTIONS = {
  ports: { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  json: { type: 'boolean' },
  add: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The terminal beyond the command's output: a progress line and questions. */
export interface DiscoverTerminal {
  /** Draws a progress line in place; undefined clears it. Absent when stderr is not a terminal. */
  progress?: (line: string | undefined) => void;
  /** Asks a question and returns the line answered, or undefined when there is no answer (end of input). */
  ask: (question: string) => Promise<string | undefined>;
  close: () => void;
}

/** The process's terminal: progress only on a TTY, answers read from stdin (a pipe works too). */
export function processTerminal(): DiscoverTerminal {
  let reader: Interface | undefined;
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  const open = (): void => {
    if (reader) return;
    reader = createInterface({ input: process.stdin, terminal: false });
    reader.on('line', (line) => {
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    });
    reader.on('close', () => {
      ended = true;
      for (const w of waiting.splice(0)) w(undefined);
    });
  };
  const tty = process.stderr.isTTY === true;
  return {
    ...(tty ? { progress: (line) => process.stderr.write(line === undefined ? '\r\x1b[2K' : `\r\x1b[2K${line}`) } : {}),
    ask: async (question) => {
      process.stderr.write(question);
      open();
      const answer = lines.length
        ? lines.shift()
        : ended
          ? undefined
          : await new Promise<string | undefined>((resolve) => waiting.push(resolve));
      // No answer (end of input): end the question's line, so what follows starts on its own.
      if (answer === undefined) process.stderr.write('\n');
      return answer;
    },
    close: () => reader?.close(),
  };
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

const yes = (answer: string | undefined): boolean => /^\s*y(es)?\s*$/i.test(answer ?? '');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;

/** "service redis, tier 2", "http, tier 1": how the proposed monitor checks. */
function monitorWords(m: ProposedMonitor): string {
  const how = m.kind === 'service' ? `service ${m.check ?? ''}${m.implicitTls ? ' (TLS)' : ''}` : m.kind;
  return `${how}, tier ${m.tier ?? 2}`;
}

interface Row {
  result: PortResult;
  proposal?: Proposal;
}

/** Above this many closed and filtered ports, the table shows them as a count. */
const LIST_QUIET_UP_TO = 40;

function render(rows: Row[], manyHosts: boolean): string {
  const quiet = rows.filter((r) => r.result.state !== 'open');
  const listed = quiet.length > LIST_QUIET_UP_TO ? rows.filter((r) => r.result.state === 'open') : rows;
  const cells = listed.map(({ result: r, proposal }) => [
    ...(manyHosts ? [r.host] : []),
    String(r.port),
    r.state,
    r.state !== 'open' ? '' : r.service ? (serviceById(r.service)?.name ?? r.service) : 'unidentified',
    proposal ? monitorWords(proposal.monitor) : '',
    r.detail,
  ]);
  const header = [...(manyHosts ? ['HOST'] : []), 'PORT', 'STATE', 'SERVICE', 'MONITOR', 'DETAIL'];
  const lines = listed.length ? [table(header, cells)] : ['no port is open'];
  if (listed.length < rows.length) {
    const closed = quiet.filter((r) => r.result.state === 'closed').length;
    lines.push(`not shown: ${closed} closed, ${quiet.length - closed} filtered (--json lists every port)`);
  }
  for (const { result: r, proposal } of rows) {
    if (proposal?.finding) lines.push(`! ${proposal.finding}`);
    if (proposal?.note)
      lines.push(`note: ${r.host.includes(':') ? `[${r.host}]` : r.host}:${r.port}: ${proposal.note}`);
  }
  return lines.join('\n');
}

function summary(rows: Row[], hosts: number, elapsedMs: number): string {
  const count = (state: string): number => rows.filter((r) => r.result.state === state).length;
  const named = rows.filter((r) => r.result.state === 'open' && r.result.service).length;
  const where = hosts === 1 ? (rows[0]?.result.host ?? '') : plural(hosts, 'address');
  return (
    `${where}: ${plural(rows.length, 'port')} in ${ms(elapsedMs)}: ${count('open')} open (${named} recognised), ` +
    `${count('closed')} closed, ${count('filtered')} filtered`
  );
}

/** Adds the proposals not already saved, after showing them and asking; returns the exit status. */
async function addProposals(
  proposals: Proposal[],
  say: (text: string) => void,
  io: CommandIO,
  terminal: DiscoverTerminal,
  assumeYes: boolean,
): Promise<number> {
  const config = await openCliConfig();
  for (const p of config.report.problems) io.err(`portwatch: config: ${p}`);
  const existing = config.monitors();
  const fresh: ProposedMonitor[] = [];
  for (const { monitor } of proposals)
    if (!existing.some((e) => sameTarget(e, monitor)) && !fresh.some((f) => sameTarget(f, monitor)))
      fresh.push(monitor);
  const saved = proposals.length - fresh.length;
  const already = saved ? ` (${plural(saved, 'proposed monitor')} already saved)` : '';
  if (fresh.length === 0) {
    say(`\nnothing to add: ${proposals.length ? 'every proposed monitor is already saved' : 'no monitor to propose'}`);
    return 0;
  }
  say(`\nto add${already}:\n${fresh.map((m) => `  ${m.name}  (${monitorWords(m)})`).join('\n')}`);
  if (!assumeYes && !yes(await terminal.ask(`Add ${plural(fresh.length, 'monitor')}? [y/N] `))) {
    say('nothing added');
    return 1;
  }
  try {
    config.replaceMonitors([...existing, ...fresh]);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`portwatch: nothing was added:\n  ${e.problems.join('\n  ')}`);
      return 1;
    }
    throw e;
  }
  say(`added ${plural(fresh.length, 'monitor')}`);
  return 0;
}

export async function discoverCommand(
  args: string[],
  io: CommandIO,
  terminal: DiscoverTerminal = processTerminal(),
): Promise<number> {
  try {
    return await discover(args, io, terminal);
  } finally {
    terminal.close();
  }
}

async function discover(args: string[], io: CommandIO, terminal: DiscoverTerminal): Promise<number> {
  const { values: v, positionals } = parseCommandArgs(args, OPTIONS, true);
  if (v.help) {
    io.out(DISCOVER_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length
        ? `discover takes one host or range, got ${positionals.length}: ${positionals.join(' ')}`
        : 'discover needs a host: a name, an address, or a CIDR range such as 192.168.1.0/24',
    );
  const spec = parseHosts(positionals[0] ?? '');
  if (!spec.ok) throw new UsageError(spec.error);
  const { hosts, range } = spec.value;
  if (!range) {
    const host = hosts[0] ?? '';
    const withPort = /^([^:]+):(\d+)$/.exec(host);
    if (withPort)
      throw new UsageError(`discover takes a host without a port: "discover ${withPort[1]} --ports ${withPort[2]}"`);
    const problem = hostProblem(host);
    if (problem) throw new UsageError(problem);
  }
  const ports = parsePorts(v.ports ?? 'catalog');
  if (!ports.ok) throw new UsageError(ports.error);
  const tooMany = scanSizeProblem(hosts.length, ports.value.length);
  if (tooMany) throw new UsageError(tooMany);
  const timeoutMs = v.timeout === undefined ? DEFAULT_TIMEOUT_MS : wholeNumber(v.timeout, '--timeout', 100, 60_000);
  const concurrency =
    v.concurrency === undefined ? DEFAULT_CONCURRENCY : wholeNumber(v.concurrency, '--concurrency', 1, MAX_IN_FLIGHT);

  if (range && !v.yes) {
    io.err(`${range} is ${plural(hosts.length, 'address')}, ${plural(ports.value.length, 'port')} each.`);
    if (!yes(await terminal.ask(`Scan ${plural(hosts.length, 'address')}? [y/N] `))) {
      io.err('nothing scanned');
      return 1;
    }
  }

  const total = hosts.length * ports.value.length;
  let drawn = 0;
  let latest = 0;
  let pending: NodeJS.Timeout | undefined;
  const draw = (): void => {
    pending = undefined;
    drawn = Date.now();
    terminal.progress?.(`scanned ${latest}/${total} ports…`);
  };
  const report = await scan(hosts, {
    ports: ports.value,
    timeoutMs,
    concurrency,
    ...(terminal.progress
      ? {
          onProgress: ({ done }) => {
            latest = done;
            // At most every 100 ms (a terminal is slow next to a closed port), the last count always.
            if (Date.now() - drawn >= 100) draw();
            else pending ??= setTimeout(draw, 100);
          },
        }
      : {}),
  });
  clearTimeout(pending);
  terminal.progress?.(undefined);
  for (const u of report.unresolved) io.err(`portwatch: ${u.host}: ${u.detail}`);
  if (report.unresolved.length === hosts.length) return 1;

  const rows: Row[] = report.results.map((result) => {
    const proposal = propose(result);
    return proposal ? { result, proposal } : { result };
  });
  if (v.json) {
    io.out(
      JSON.stringify(
        rows.map(({ result, proposal }) => {
          const name = result.service ? serviceById(result.service)?.name : undefined;
          return { ...result, ...(name ? { name } : {}), ...(proposal ? { proposal } : {}) };
        }),
        null,
        2,
      ),
    );
  } else {
    io.out(render(rows, hosts.length > 1));
    io.out(`\n${summary(rows, hosts.length, report.elapsedMs)}`);
  }
  if (!v.add) return 0;
  // With --json, stdout stays one JSON document; what --add says goes to stderr.
  const say = v.json ? io.err : io.out;
  const proposals = rows.flatMap((r) => (r.proposal ? [r.proposal] : []));
  return addProposals(proposals, say, io, terminal, v.yes === true);
}
