import { app } from 'electron';
import { compose } from './compose';

// One Portwatch per user: a second launch focuses the first instead of double-monitoring.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => compose());
}
