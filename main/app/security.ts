import { app, session, shell, type Session, type WebContents } from 'electron';
import { RENDERER_CSP, RENDERER_CSP_HEADER } from '../../shared/csp';
import { devServerUrl, rendererFileUrl } from './paths';

export { RENDERER_CSP, RENDERER_CSP_HEADER };

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
};

/** True for the app's own page (any hash or query), the only place a window may navigate to. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  const dev = devServerUrl();
  if (dev) return u.origin === dev;
  const own = new URL(rendererFileUrl);
  return u.protocol === own.protocol && u.host === own.host && u.pathname === own.pathname;
}

/** Only web links leave the app, and only to the user's browser: file:, javascript:, custom schemes never do. */
export function isExternalLink(url: string): boolean {
  const u = parse(url);
  return u !== undefined && (u.protocol === 'https:' || u.protocol === 'http:');
}

/** The renderer never needs a browser permission (notifications come from the main process). */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

export function hardenWebContents(contents: WebContents): void {
  const stayHome = (event: Electron.Event, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => stayHome(event, event.url));
  contents.on('will-redirect', (event) => stayHome(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url))
      shell.openExternal(url).catch((e: unknown) => {
        console.warn(`could not open ${url} in the browser: ${e instanceof Error ? e.message : String(e)}`);
      });
    return { action: 'deny' };
  });
}

/** A page from a dev server gets the policy as a header too, so frame-ancestors applies there as well. */
export function enforceCspHeader(ses: Session, origin: string): void {
  ses.webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP_HEADER] } });
  });
}

/** Locks down every session and web contents: no navigation away, no new windows, no permissions, no webviews. */
export function hardenSessions(): void {
  hardenSession(session.defaultSession);
  app.on('session-created', hardenSession);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  const dev = devServerUrl();
  if (dev) enforceCspHeader(session.defaultSession, dev);
}
