import { CHECK_HELP, checkCommand } from './check';
import { UsageError, type CommandIO } from './io';

declare const PORTWATCH_VERSION: string | undefined;

export const HELP = `Usage: portwatch <command> [options]

Commands:
  check <host:port | URL>   check one service port once and say why it failed

Run "portwatch <command> --help" for a command's options.

Exit status: 0 all passed, 1 a check failed, 2 bad usage.`;

const COMMANDS: Record<string, (args: string[], io: CommandIO) => Promise<number>> = {
  check: checkCommand,
};

const HELPS: Record<string, string> = { check: CHECK_HELP };

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
