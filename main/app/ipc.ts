import { BrowserWindow, type IpcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNELS, parseArgs, type ApiEvents, type Channel, type EventName } from '../../shared/api';
import { eventChannel, invokeChannel } from '../../shared/ipc-channels';
import { errorMessage, fail, type Result } from '../../shared/result';
import { eventBatcher, type EventBatchOptions } from '../core/event-batch';
import { serviceHandlers, type AnyHandler, type Handlers } from '../core/api-handlers';
import type { PortwatchService } from '../core/service';

export interface IpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  service: PortwatchService;
  /** Whether a call comes from the app's own window; rendererSenderCheck builds the usual one. */
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean;
  /** Calls served by something other than the service, or overriding its handlers. */
  extraHandlers?: Partial<Handlers>;
  /** Told of every handler that threw; the caller still gets an error value. */
  onError?: (channel: Channel, error: unknown) => void;
}

const senderUrl = (event: IpcMainInvokeEvent): string => {
  try {
    return event.senderFrame?.url || 'a frame that is gone';
  } catch {
    return 'a frame that is gone';
  }
};

/**
 * Registers every call in the contract, each behind the same checks: the sender is the app's own
 * window, the arguments fit the contract. Nothing throws back across IPC; every failure is an
 * error value. Returns the function that removes the handlers again.
 */
export function registerIpc(options: IpcOptions): () => void {
  const handlers: Partial<Handlers> = { ...serviceHandlers(options.service), ...options.extraHandlers };
  const onError = options.onError ?? ((channel, e) => console.error(`portwatch: IPC call ${channel} failed:`, e));
  const missing = CHANNELS.filter((c) => typeof handlers[c] !== 'function');
  if (missing.length > 0) throw new Error(`IPC: no handler for ${missing.join(', ')}`);

  const checked =
    (channel: Channel, handler: AnyHandler) =>
    async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<Result<unknown>> => {
      try {
        if (!options.isTrustedSender(event))
          return fail(`${channel}: this call is not allowed from ${senderUrl(event)}`);
        const parsed = parseArgs(channel, args);
        if (!parsed.ok) return parsed;
        return await handler(...(parsed.value as unknown[]));
      } catch (e) {
        onError(channel, e);
        return fail(`${channel}: ${errorMessage(e)}`);
      }
    };

  for (const channel of CHANNELS) {
    options.ipcMain.handle(invokeChannel(channel), checked(channel, handlers[channel] as AnyHandler));
  }
  return () => {
    for (const channel of CHANNELS) options.ipcMain.removeHandler(invokeChannel(channel));
  };
}

export interface RendererOrigin {
  /** The folder the window's pages are loaded from (the built renderer). */
  rendererDir: string;
  /** The dev server the window loads from during development, if any. */
  devServerUrl?: string;
  /** Whether these web contents are one of the app's windows; by default, any BrowserWindow's. */
  isAppWindow?: (contents: WebContents) => boolean;
}

const isInside = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel !== '' && rel.split(sep)[0] !== '..' && !isAbsolute(rel);
};

/**
 * Trusts a call only from a page of our own renderer (a file under rendererDir, or the dev server)
 * shown in one of our windows: a page navigated elsewhere, a frame it embeds or a webview does not
 * get to steer the monitors.
 */
export function rendererSenderCheck(origin: RendererOrigin): (event: IpcMainInvokeEvent) => boolean {
  const devOrigin = origin.devServerUrl ? new URL(origin.devServerUrl).origin : undefined;
  const isAppWindow = origin.isAppWindow ?? ((wc: WebContents) => BrowserWindow.fromWebContents(wc) !== null);
  const isRendererUrl = (raw: string): boolean => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') {
      try {
        return isInside(origin.rendererDir, fileURLToPath(url));
      } catch {
        // An encoded slash or a remote host: not one of our files.
        return false;
      }
    }
    return devOrigin !== undefined && url.origin === devOrigin;
  };
  return (event) => {
    const frame = event.senderFrame;
    return frame !== null && isRendererUrl(frame.url) && isAppWindow(event.sender);
  };
}

type Targets = WebContents | readonly WebContents[] | null | undefined;
const isList = (t: NonNullable<Targets>): t is readonly WebContents[] => Array.isArray(t);

function send<E extends EventName>(contents: WebContents, event: E, payload: ApiEvents[E]): void {
  contents.send(eventChannel(event), payload);
}

/**
 * Pushes engine events to the window in batches (see eventBatcher), and only while a window is
 * there to see them: one opened later asks for the state itself. Returns the function that stops.
 */
export function forwardEvents(
  source: Pick<PortwatchService, 'subscribe'>,
  targets: () => Targets,
  options: EventBatchOptions & { onError?: (error: unknown) => void } = {},
): () => void {
  const live = (): WebContents[] => {
    const t = targets();
    const list = t == null ? [] : isList(t) ? t : [t];
    return list.filter((wc) => !wc.isDestroyed());
  };
  const onError = options.onError ?? ((e) => console.error('portwatch: could not send events to the window:', e));
  const batcher = eventBatcher((events) => {
    for (const contents of live()) {
      // A window closing mid-send must not stop the others, nor throw out of a timer.
      try {
        send(contents, 'events', events);
      } catch (e) {
        onError(e);
      }
    }
  }, options);
  const unsubscribe = source.subscribe((e) => {
    if (live().length > 0) batcher.push(e);
  });
  return () => {
    unsubscribe();
    batcher.dispose();
  };
}
