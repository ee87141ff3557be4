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
