// The saved monitors and settings. The desktop app keeps them with electron-store and the CLI with
// conf (its base: same file, same format), so this works on either through the small part of their
// API both share. The rule that shapes everything here: a file a person can't load is never lost.
// A broken file is copied aside before anything could replace it, the last state that loaded
// cleanly is kept beside it, and nothing invalid is ever written.

import type { MonitorPatch } from '../../../shared/api';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Conf, { type Options } from 'conf';
import { describeIssues, MonitorSchema, type Monitor, type MonitorInput } from '../../../shared/monitor';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../../shared/settings';
import { CURRENT_VERSION, migrate, type ConfigDocument } from './migrations';
import { CONFIG_NAME, configDir } from './paths';
import { parseJson, stripBom } from './json-position';

/**
 * The part of conf/electron-store used here: reading `store` reads the file, assigning `store`
 * writes it atomically (write to a temporary file, then rename over).
 */
export interface ConfBackend {
  path: string;
  store: Record<string, unknown>;
}

export interface LoadReport {
  ok: boolean;
  /** What is wrong and where, e.g. "monitors.3.port: the port must be from 1 to 65535". */
  problems: string[];
  /** The copy of the file as it was before anything replaced it. */
  backupPath?: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(message: string, problems: string[] = [message]) {
    super(message);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** A monitor to add or import: the id may be left out, and one is made up. */
export type NewMonitorInput = Omit<MonitorInput, 'id'> & { id?: string };
export type { MonitorPatch };

/**
 * Options every backend must be built with (conf, and electron-store in the app), so a broken file
 * reaches ConfigStore instead of throwing out of the constructor, and is never cleared.
 */
export const backendOptions = {
  clearInvalidConfig: false,
  // Monitor names and header keys may hold dots; they are data, not paths.
  accessPropertiesByDotNotation: false,
  // conf parses the file in its constructor and throws on bad JSON; ConfigStore reads the bytes
  // itself to say where the error is, so here an unreadable file only has to look empty.
  deserialize: (text: string): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(stripBom(text));
      return isObject(value) ? value : {};
    } catch {
      return {};
    }
  },
} satisfies Options<Record<string, unknown>>;

interface State {
  monitors: Monitor[];
  settings: Settings;
  /** Top-level keys this version doesn't know (conf's __internal__, say), written back untouched. */
  extra: Record<string, unknown>;
}

interface Reading {
  /** The file as a whole can't be used: nothing in it is loaded. */
  fatal: boolean;
  state?: State;
  problems: string[];
  /** The bytes read, for an exact backup; absent when there is no file. */
  raw?: Buffer;
  /** Monitors left out of a file that is otherwise fine. */
  setAside: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const kindOf = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'an object'
        : `${typeof v} ${JSON.stringify(v)}`;
const serialize = (doc: ConfigDocument): string => JSON.stringify(doc, undefined, '\t');

export class ConfigStore {
  readonly report: LoadReport;
  private state: State;
  /** The main file's bytes when last read or written, to notice another process changing it. */
  private seen: Buffer | undefined;
  /** Bytes to copy aside before the next write drops what was set aside or reset at load. */
  private pendingBackup: Buffer | undefined;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly backend: ConfBackend,
    state: State,
    report: LoadReport,
    seen: Buffer | undefined,
  ) {
    this.state = state;
    this.report = report;
    this.seen = seen;
  }

  static open(backend: ConfBackend | (() => ConfBackend)): ConfigStore {
    let b: ConfBackend;
    try {
      b = typeof backend === 'function' ? backend() : backend;
    } catch (e) {
      throw new ConfigError(
        `the settings file could not be opened: ${message(e)} (was the store built without backendOptions?)`,
      );
    }
    const reading = readMain(b);
    const file = path.basename(b.path);

    if (reading.fatal || !reading.state) {
      const problems = [...reading.problems];
      let backupPath: string | undefined;
      if (reading.raw) {
        try {
          backupPath = backupBytes(b.path, reading.raw);
        } catch (e) {
          problems.push(`${file}: no copy of it could be saved (${message(e)})`);
        }
      }
      const lastGood = readLastGood(b.path);
      const copy = backupPath ? `an exact copy is at ${backupPath}` : 'it is left as it is';
      problems.push(
        lastGood
          ? `${file} was not loaded (${copy}); started from the last good state in ${path.basename(lastGoodPath(b.path))} ` +
              `(${lastGood.monitors.length} monitors). ${file} stays as it is until you change something.`
          : `${file} was not loaded (${copy}); there is no usable last good state, so started empty. ` +
              `${file} stays as it is until you change something.`,
      );
      const report: LoadReport = { ok: false, problems, ...(backupPath ? { backupPath } : {}) };
      return new ConfigStore(b, lastGood ?? emptyState(), report, reading.raw);
    }

    const store = new ConfigStore(b, reading.state, { ok: reading.problems.length === 0, problems: [] }, reading.raw);
    store.report.problems.push(...reading.problems);
    if (reading.problems.length > 0) {
      // Whatever was set aside or reset to a default would be lost by the next write: keep the bytes.
      store.pendingBackup = reading.raw;
      const what = reading.setAside > 0 ? `${reading.setAside} monitor(s) were set aside` : 'some settings were reset';
      store.report.problems.push(
        `${file}: ${what}; the file keeps them until you change something, and a copy of it is saved beside it ` +
          `before that change drops them.`,
      );
    }
    // A missing file is a fresh start, not a good state worth keeping.
    if (store.report.ok && reading.raw) writeLastGood(b.path, toDocument(store.state));
    return store;
  }

  monitors(): Monitor[] {
    return this.state.monitors.map((m) => structuredClone(m));
  }

  monitor(id: string): Monitor | undefined {
    const m = this.state.monitors.find((x) => x.id === id);
    return m && structuredClone(m);
  }

  addMonitor(input: NewMonitorInput): Monitor {
    this.refresh();
    const monitor = parseMonitor(withId(input));
    if (this.state.monitors.some((m) => m.id === monitor.id))
      throw new ConfigError(`id: a monitor with the id "${monitor.id}" already exists`);
    this.commit({ ...this.state, monitors: [...this.state.monitors, monitor] });
    return this.monitor(monitor.id) as Monitor;
  }

  updateMonitor(id: string, patch: MonitorPatch): Monitor {
    this.refresh();
    const i = this.state.monitors.findIndex((m) => m.id === id);
    const current = this.state.monitors[i];
    if (!current) throw new ConfigError(`there is no monitor with the id "${id}"`);
    if (patch.id !== undefined && patch.id !== id) throw new ConfigError("id: a monitor's id cannot be changed");
    // null removes a field (back to the tier's default, or a URL a tcp monitor no longer takes):
    // JSON, the transport of every front end, has no other way to say so.
    const merged: Record<string, unknown> = { ...current, ...patch, id };
    for (const [k, v] of Object.entries(patch)) if (v === null) delete merged[k];
    const monitor = parseMonitor(merged);
    const monitors = [...this.state.monitors];
    monitors[i] = monitor;
    this.commit({ ...this.state, monitors });
    return this.monitor(id) as Monitor;
  }

  removeMonitor(id: string): boolean {
    this.refresh();
    if (!this.state.monitors.some((m) => m.id === id)) return false;
    this.commit({ ...this.state, monitors: this.state.monitors.filter((m) => m.id !== id) });
    return true;
  }

  replaceMonitors(list: NewMonitorInput[]): Monitor[] {
    this.refresh();
    const problems: string[] = [];
    const monitors: Monitor[] = [];
    const firstIndex = new Map<string, number>();
    list.forEach((input, i) => {
      const r = MonitorSchema.safeParse(withId(input));
      if (!r.success) return void problems.push(...describeIssues(r.error, `monitors.${i}`).map(named(input)));
      const seenAt = firstIndex.get(r.data.id);
      if (seenAt !== undefined)
        return void problems.push(`monitors.${i}.id: "${r.data.id}" is already the id of monitors.${seenAt}`);
      firstIndex.set(r.data.id, i);
      monitors.push(r.data);
    });
    if (problems.length) throw new ConfigError(`nothing was saved: ${problems.join('; ')}`, problems);
    this.commit({ ...this.state, monitors });
    return this.monitors();
  }

  settings(): Settings {
    return structuredClone(this.state.settings);
  }

  updateSettings(patch: Partial<Settings>): Settings {
    this.refresh();
    const r = SettingsSchema.safeParse({ ...this.state.settings, ...patch });
    if (!r.success) {
      const problems = describeIssues(r.error);
      throw new ConfigError(`the settings were not saved: ${problems.join('; ')}`, problems);
    }
    this.commit({ ...this.state, settings: r.data });
    return this.settings();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Another process (the app, or a CLI import) may have saved since this store last looked; a
   * change made here starts from what is on disk, so it doesn't undo theirs.
   */
  private refresh(): void {
    const raw = readBytes(this.backend.path);
    if (raw === undefined || (this.seen && raw.equals(this.seen))) return;
    const reading = readMain(this.backend, raw);
    this.seen = raw;
    const file = path.basename(this.backend.path);
    if (reading.fatal || !reading.state) {
      // It went bad after loading: what is in memory is still good, but the bytes are kept.
      const copy = backupBytes(this.backend.path, raw);
      this.report.ok = false;
      this.report.backupPath = copy;
      this.report.problems.push(
        ...reading.problems,
        `${file} was changed on disk and could not be used; an exact copy is at ${copy}`,
      );
      return;
    }
    this.state = reading.state;
    if (reading.problems.length > 0) {
      this.pendingBackup = raw;
      this.report.ok = false;
      this.report.problems.push(...reading.problems);
    } else this.pendingBackup = undefined;
  }

  private commit(next: State): void {
    const doc = toDocument(next);
    if (this.pendingBackup) {
      // Throwing here (disk full, say) cancels the write: what was set aside must survive somewhere.
      this.report.backupPath = backupBytes(this.backend.path, this.pendingBackup);
      this.pendingBackup = undefined;
    }
    this.backend.store = doc;
    // What was written is what is held: undefined fields are gone, exactly as after a reload.
    this.state = fromValidDocument(doc, next.extra);
    this.seen = readBytes(this.backend.path);
    writeLastGood(this.backend.path, doc);
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (e) {
        // The write succeeded; one failing listener must neither undo that nor starve the others.
        console.error('portwatch: a config change listener failed:', e);
      }
    }
  }
}

export { parseJson };

/** The store the CLI uses: the very file the desktop app writes. */
export async function openCliConfig(dir?: string): Promise<ConfigStore> {
  const cwd = dir ?? configDir();
  return ConfigStore.open(
    () =>
      new Conf<Record<string, unknown>>({ ...backendOptions, cwd, configName: CONFIG_NAME, projectName: 'portwatch' }),
  );
}

// ---- reading ----

function readBytes(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function readMain(backend: ConfBackend, bytes?: Buffer): Reading {
  const file = path.basename(backend.path);
  let raw = bytes;
  if (!raw) {
    try {
      raw = readBytes(backend.path);
    } catch (e) {
      return { fatal: true, problems: [`${file}: cannot be read: ${message(e)}`], setAside: 0 };
    }
  }
  let data: unknown;
  if (raw) {
    // The bytes are read here rather than through the backend, whose parser hides where JSON breaks.
    const parsed = parseJson(raw.toString('utf8'));
    if (!parsed.ok) return { fatal: true, problems: [`${file} ${parsed.problem}`], raw, setAside: 0 };
    data = parsed.value;
  } else {
    try {
      data = backend.store;
    } catch (e) {
      return { fatal: true, problems: [`${file}: ${message(e)}`], setAside: 0 };
    }
  }
  return { ...interpret(data), ...(raw ? { raw } : {}) };
}

function interpret(data: unknown): Omit<Reading, 'raw'> {
  if (!isObject(data))
    return { fatal: true, problems: [`the file must hold a JSON object, not ${kindOf(data)}`], setAside: 0 };
  const migrated = migrate(data);
  if (!migrated.ok) return { fatal: true, problems: [migrated.problem], setAside: 0 };
  const { version: _v, monitors: rawMonitors = [], settings: rawSettings = {}, ...extra } = migrated.doc;
  if (!Array.isArray(rawMonitors))
    return { fatal: true, problems: [`monitors: must be a list of monitors, not ${kindOf(rawMonitors)}`], setAside: 0 };

  const problems: string[] = [];
  const monitors: Monitor[] = [];
  const firstIndex = new Map<string, number>();
  rawMonitors.forEach((m: unknown, i) => {
    const r = MonitorSchema.safeParse(m);
    if (!r.success) return void problems.push(...describeIssues(r.error, `monitors.${i}`).map(named(m, true)));
    const seenAt = firstIndex.get(r.data.id);
    if (seenAt !== undefined)
      return void problems.push(
        named(m, true)(`monitors.${i}.id: "${r.data.id}" is already the id of monitors.${seenAt}`),
      );
    firstIndex.set(r.data.id, i);
    monitors.push(r.data);
  });
  const setAside = rawMonitors.length - monitors.length;
  const settings = readSettings(rawSettings, problems);
  return { fatal: false, state: { monitors, settings, extra }, problems, setAside };
}

/** Each bad setting falls back to its default alone: one typo mustn't reset the rest. */
function readSettings(raw: unknown, problems: string[]): Settings {
  if (!isObject(raw)) {
    problems.push(`settings: must be an object, not ${kindOf(raw)} (the defaults are used)`);
    return structuredClone(DEFAULT_SETTINGS);
  }
  const candidate = { ...raw };
  // A cross-field rule is only checked once every field passes, so fixing one round can reveal another.
  for (let round = 0; round < 10; round++) {
    const r = SettingsSchema.safeParse(candidate);
    if (r.success) return r.data;
    problems.push(...describeIssues(r.error, 'settings').map((p) => `${p} (the default is used)`));
    for (const issue of r.error.issues) {
      const key = issue.path[0];
      if (typeof key === 'string') delete candidate[key];
    }
  }
  return structuredClone(DEFAULT_SETTINGS);
}

/** Labels a problem with the monitor's name, so a person can find it in a long list. */
function named(m: unknown, setAside = false): (problem: string) => string {
  const name = isObject(m) && typeof m.name === 'string' && m.name.trim() ? m.name.trim() : undefined;
  const who = name ? `monitor "${name}"` : 'this monitor';
  return (p) => (setAside ? `${p} (${who} was set aside)` : name ? `${p} (${who})` : p);
}

function emptyState(): State {
  return { monitors: [], settings: structuredClone(DEFAULT_SETTINGS), extra: {} };
}

function withId(input: NewMonitorInput): MonitorInput {
  return isObject(input) && (input.id === undefined || input.id === '')
    ? { ...input, id: crypto.randomUUID() }
    : (input as MonitorInput);
}

function parseMonitor(input: unknown): Monitor {
  const r = MonitorSchema.safeParse(input);
  if (r.success) return r.data;
  const problems = describeIssues(r.error);
  throw new ConfigError(`the monitor was not saved: ${problems.join('; ')}`, problems);
}

function toDocument(state: State): ConfigDocument {
  const doc = { version: CURRENT_VERSION, monitors: state.monitors, settings: state.settings, ...state.extra };
  // JSON has no undefined: dropping those keys now makes memory match the file exactly.
  return JSON.parse(JSON.stringify(doc)) as ConfigDocument;
}

/** A document this store just built from validated parts; parsing again only restores types. */
function fromValidDocument(doc: ConfigDocument, extra: Record<string, unknown>): State {
  return {
    monitors: (doc.monitors as unknown[]).map((m) => MonitorSchema.parse(m)),
    settings: SettingsSchema.parse(doc.settings),
    extra: structuredClone(extra),
  };
}

// ---- last good state and backups ----

export function lastGoodPath(configPath: string): string {
  const ext = path.extname(configPath);
  return path.join(path.dirname(configPath), `${path.basename(configPath, ext)}.last-good${ext}`);
}

function readLastGood(configPath: string): State | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lastGoodPath(configPath), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return undefined;
  const reading = interpret(parsed.value);
  // Only a copy that loads without a single problem is trusted as the fallback.
  return !reading.fatal && reading.problems.length === 0 ? reading.state : undefined;
}

function writeLastGood(configPath: string, doc: ConfigDocument): void {
  const target = lastGoodPath(configPath);
  const text = serialize(doc);
  try {
    if (fs.readFileSync(target, 'utf8') === text) return;
  } catch {
    // Not there yet.
  }
  try {
    writeAtomically(target, text);
  } catch {
    // The safety net failing (read-only folder) must not fail the save it follows.
  }
}

function writeAtomically(target: string, data: string | Buffer): void {
  const tmp = `${target}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Saves bytes as `<file>.broken-<time>`, or names the existing copy that holds the same bytes, so
 * a CLI run each minute on a broken file doesn't pile up identical copies.
 */
function backupBytes(configPath: string, bytes: Buffer): string {
  const dir = path.dirname(configPath);
  const prefix = `${path.basename(configPath)}.broken-`;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const candidate = path.join(dir, name);
    try {
      if (fs.statSync(candidate).size === bytes.length && fs.readFileSync(candidate).equals(bytes)) return candidate;
    } catch {
      // Vanished meanwhile: not a match.
    }
  }
  const stamp = new Date().toISOString().replace(/:/g, '');
  for (let n = 0; ; n++) {
    const target = path.join(dir, `${prefix}${stamp}${n ? `-${n}` : ''}`);
    try {
      // Flushed before returning: the caller may be about to replace the original.
      const fd = fs.openSync(target, 'wx');
      try {
        fs.writeSync(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      return target;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
