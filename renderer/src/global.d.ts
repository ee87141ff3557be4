import type { PortwatchApi } from '../../shared/api';

declare global {
  interface Window {
    /** The app's calls and events, exposed by the preload; absent in a plain browser (serve). */
    portwatch?: PortwatchApi;
  }
}

export {};
