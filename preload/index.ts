import { contextBridge } from 'electron';

// One typed object for the page; the full IPC contract arrives with the desktop shell.
const api = {
  platform: process.platform,
};

export type PortwatchApi = typeof api;

contextBridge.exposeInMainWorld('portwatch', api);
