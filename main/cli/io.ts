import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage: the message is shown as it is, and the command exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** node:util parseArgs, strict, with its complaints turned into usage errors (exit 2). */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  args: string[],
  options: T,
  positionals: boolean,
) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
