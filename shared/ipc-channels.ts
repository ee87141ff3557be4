// How a contract name becomes an Electron channel. Kept apart from the contract so the preload
// bundle needs no zod: the preload only ever reaches channels under these prefixes, which are
// exactly the ones main registers through its checked wrapper.

const INVOKE_PREFIX = 'portwatch:';
const EVENT_PREFIX = 'portwatch-event:';

export const invokeChannel = (name: string): string => INVOKE_PREFIX + name;
export const eventChannel = (name: string): string => EVENT_PREFIX + name;
