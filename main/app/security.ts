import { app, session, shell, type WebContents } from 'electron';

const isWebLink = (url: string): boolean => /^https?:\/\//i.test(url);

/** Locks down every web contents: no navigation away, no new windows, no permissions. */
export function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isWebLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
