import type { PortwatchApi } from '../../../shared/api';
import { httpApi, takeToken } from './http';

/** Inside the app the preload's object; in a browser, `portwatch serve` over HTTP. */
export const api: PortwatchApi = window.portwatch ?? httpApi(location.origin, takeToken());

/** Whether this page runs inside the desktop app (some settings, like start at login, only apply there). */
export const inDesktopApp = window.portwatch !== undefined;
