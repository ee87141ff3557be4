// The tray icon: the worst state at a glance, counts on hover, and the menu. It touches the OS
// only when what it shows changes: engine results arrive far more often than anything visible.

import { join } from 'node:path';
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { summaryLine, type AggregateState, type Summary } from '../../shared/aggregate';
import { clockText, trayMenu, visibleKey, type TrayActions, type VantageLines } from './tray-menu';

export type { TrayActions } from './tray-menu';

/**
 * The icon for a state. macOS gets the template image (black and alpha) so the menu bar tints it
 * for light and dark mode; the @2x file beside it is picked up for Retina screens by Electron.
 */
export function trayIconPath(iconDir: string, state: AggregateState, platform: NodeJS.Platform): string {
  return join(iconDir, platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`);
}

export interface TrayOptions {
  /** Where the tray-*.png files are: <repo>/build in development, the app's resources when packaged. */
  iconDir: string;
  actions: TrayActions;
  platform?: NodeJS.Platform;
  now?: () => number;
  startAtLogin?: boolean;
  snoozedUntil?: number;
  /** How often durations ("down for 5 min") and an ending snooze are brought up to date. */
  refreshMs?: number;
}

export class TrayController {
  private readonly tray: Tray;
  private readonly platform: NodeJS.Platform;
  private readonly now: () => number;
  private readonly images = new Map<AggregateState, NativeImage>();
  private readonly actions: TrayActions;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private summary: Summary;
  private snoozedUntil: number | undefined;
  private startAtLogin: boolean;
  private vantage: VantageLines | undefined;
  private shown: { state?: AggregateState; tip?: string; menu?: string } = {};

  constructor(
    private readonly options: TrayOptions,
    summary: Summary,
  ) {
    this.platform = options.platform ?? process.platform;
    this.now = options.now ?? Date.now;
    this.summary = summary;
    this.snoozedUntil = options.snoozedUntil;
    this.startAtLogin = options.startAtLogin ?? false;
    // The menu's choices change what it shows (a snooze, the checkbox): record what the app did.
    this.actions = {
      ...options.actions,
      snooze: (choice) => {
        const until = options.actions.snooze(choice);
        this.setSnoozedUntil(until);
        return until;
      },
      setStartAtLogin: (on) => {
        const now = options.actions.setStartAtLogin(on);
        this.setStartAtLogin(now);
        return now;
      },
    };
    this.tray = new Tray(this.image(summary.state));
    this.shown.state = summary.state;
    // Windows shows the menu on a right click only; a left click is expected to open the app.
    if (this.platform === 'win32') this.tray.on('click', () => this.actions.openWindow());
    this.render();
    const every = options.refreshMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => this.render(), every);
      this.timer.unref?.();
    }
  }

  update(summary: Summary): void {
    this.summary = summary;
    this.render();
  }

  /** What other vantage points see; the menu changes only when the lines do. */
  setVantage(lines: VantageLines): void {
    this.vantage = lines;
    this.render();
  }

  setSnoozedUntil(until: number | undefined): void {
    this.snoozedUntil = until;
    this.render();
  }

  setStartAtLogin(on: boolean): void {
    this.startAtLogin = on;
    this.render();
  }

  /** Brings durations and an expired snooze up to date; the timer calls it too. */
  refresh(): void {
    this.render();
  }

  dispose(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.tray.destroy();
  }

  private image(state: AggregateState): NativeImage {
    let img = this.images.get(state);
    if (!img) {
      img = nativeImage.createFromPath(trayIconPath(this.options.iconDir, state, this.platform));
      if (this.platform === 'darwin') img.setTemplateImage(true);
      this.images.set(state, img);
    }
    return img;
  }

  private render(): void {
    const now = this.now();
    const summary = this.summary;
    const snoozedUntil = this.snoozedUntil !== undefined && this.snoozedUntil > now ? this.snoozedUntil : undefined;
    if (summary.state !== this.shown.state) {
      this.tray.setImage(this.image(summary.state));
      this.shown.state = summary.state;
    }
    const snoozed = snoozedUntil === undefined ? '' : `; alerts snoozed until ${clockText(snoozedUntil, now)}`;
    const tip = summaryLine(summary) + snoozed;
    if (tip !== this.shown.tip) {
      this.tray.setToolTip(tip);
      this.shown.tip = tip;
    }
    const template = trayMenu(
      {
        summary,
        now,
        snoozedUntil,
        startAtLogin: this.startAtLogin,
        ...(this.vantage ? { vantage: this.vantage } : {}),
      },
      this.actions,
    );
    const menu = visibleKey(template);
    if (menu !== this.shown.menu) {
      this.tray.setContextMenu(Menu.buildFromTemplate(template));
      this.shown.menu = menu;
    }
  }
}
