import { ALERT_HELP, alertCommand } from './alert';
import { CHECK_HELP, checkCommand } from './check';
import { DISCOVER_HELP, discoverCommand } from './discover';
import { UsageError, type CommandIO } from './io';
import { SERVE_HELP, serveCommand } from './serve';
import { EXPORT_HELP, exportCommand } from './export';
import { IMPORT_HELP, importCommand } from './import';
import { VERIFY_HELP, verifyCommand } from './verify';

declare const PORTWATCH_VERSION: string | undefined;

export const HELP = `Usage: portwatch <command> [options]

Commands:
  check <host:port | URL>   check one service port once and say why it failed
  verify                    check every saved monitor once; exit 1 if any fails
  discover <host>           find the services on a host and propose monitors for them
  serve                     run the engine headless and serve the UI and API to a browser
  import <file>             add monitors from Portwatch, Uptime Kuma, Gatus, blackbox_exporter, nmap or CSV
  export <file|dir>         write the saved monitors for Portwatch, Gatus, blackbox_exporter or CSV
  alert <list|add|remove|test>  configure alert channels and send a test message

Run "portwatch <command> --help" for a command's options.

Exit status: 0 all passed, 1 a check failed, 2 bad usage.`;

const COMMANDS: Record<string, (args: string[], io: CommandIO) => Promise<number>> = {
  check: checkCommand,
  verify: verifyCommand,
  discover: discoverCommand,
  serve: serveCommand,
  import: importCommand,
  export: exportCommand,
  alert: alertCommand,
};

const HELPS: Record<string, string> = {
  check: CHECK_HELP,
  verify: VERIFY_HELP,
  discover: DISCOVER_HELP,
  serve: SERVE_HELP,
  import: IMPORT_HELP,
  export: EXPORT_HELP,
  alert: ALERT_HELP,
};

/** Runs the command line; every error ends as a message and an exit status, never a trace. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined;
      io.out(topic && HELPS[topic] ? HELPS[topic] : HELP);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.out(typeof PORTWATCH_VERSION === 'string' ? PORTWATCH_VERSION : 'development');
      return 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`portwatch: ${e.message}\nRun "portwatch --help" for usage.`);
      return 2;
    }
    io.err(`portwatch: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
