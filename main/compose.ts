import { app } from 'electron';
import { hardenSessions } from './app/security';
import { createMainWindow, showMainWindow } from './app/windows';

/** The one place that wires the core to its Electron adapters. */
export function compose(): void {
  hardenSessions();
  createMainWindow();
  app.on('second-instance', () => showMainWindow());
  app.on('activate', () => showMainWindow());
}
