// The other instances kept in the settings (shared/vantage.ts): adding, changing and removing
// them, with the token sealed by the runtime's secret box before anything is saved and shown
// only as "(sealed)", exactly like a channel's secrets.

import {
  SourceSchema,
  type Source,
  type SourceInput,
  type SourceState,
  type SourceView,
} from '../../../shared/vantage';
import { describeIssues } from '../../../shared/monitor';
import { errorMessage, fail, ok, type Result } from '../../../shared/result';
import { SEALED_MARK } from '../alerts/channel-config';
import type { ConfigStore } from '../config/store';
import { isSealed, type SecretBox } from '../secrets';

type Settings = Pick<ConfigStore, 'settings' | 'updateSettings'>;

/** `portwatch serve` refuses shorter tokens, so a shorter one is a typo or the wrong value. */
const MIN_TOKEN = 16;

const sourcesOf = (config: Settings): Source[] => config.settings().sources;

export const publicSource = (s: Source, state: SourceState): SourceView => ({
  id: s.id,
  name: s.name,
  url: s.url,
  token: SEALED_MARK,
  state,
});

/**
 * The address to poll, and the token if the URL carries one: serve prints "Open
 * http://host:7788/?token=…", and pasting that line whole should just work.
 */
function splitUrl(url: string): { url: string; token?: string } {
  if (!URL.canParse(url)) return { url };
  const u = new URL(url);
  const token = u.searchParams.get('token') ?? undefined;
  u.search = '';
  u.hash = '';
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return { url: u.href, ...(token ? { token } : {}) };
}

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 36) || 'source';

function freeId(name: string, taken: readonly Source[]): string {
  const base = slug(name);
  let id = base;
  for (let n = 2; taken.some((s) => s.id === id); n++) id = `${base}-${n}`;
  return id;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Adds a source, or replaces the one with the same id. A token left out or given as "(sealed)"
 * keeps the saved one, so the URL or name can change without asking for the token again.
 * `here` is this instance's own vantage name, which a source may not take.
 */
export function saveSource(config: Settings, box: SecretBox, input: unknown, here: string): Result<Source> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail('a source must be an object');
  const given = input as Partial<Record<keyof SourceInput, unknown>>;
  try {
    const sources = sourcesOf(config);
    const name = text(given.name)?.trim() ?? '';
    const id = text(given.id) || freeId(name, sources);
    const old = sources.find((s) => s.id === id);
    const { url, token: urlToken } = splitUrl(text(given.url)?.trim() ?? '');
    const typed = text(given.token)?.trim();
    const clear = typed && typed !== SEALED_MARK ? typed : urlToken;
    if (clear !== undefined && clear.length < MIN_TOKEN)
      return fail(`token: a portwatch serve token is at least ${MIN_TOKEN} characters; copy the one it printed`);
    const token = clear ?? old?.token;
    if (token === undefined) return fail('token: enter the token the other portwatch serve printed at start');
    if (name.toLowerCase() === here.toLowerCase())
      return fail(`name: "${name}" is this instance's own vantage name; give the other one another name`);
    const parsed = SourceSchema.safeParse({ id, name, url, token });
    if (!parsed.success) return fail(`the source was not saved: ${describeIssues(parsed.error).join('; ')}`);
    const sealed = { ...parsed.data, token: isSealed(token) ? token : box.seal(token) };
    const next = old ? sources.map((s) => (s.id === id ? sealed : s)) : [...sources, sealed];
    config.updateSettings({ sources: next });
    return ok(sealed);
  } catch (e) {
    return fail(`the source was not saved: ${errorMessage(e)}`);
  }
}

export function removeSource(config: Settings, id: unknown): Result<true> {
  if (typeof id !== 'string') return fail('the source id must be a string');
  const sources = sourcesOf(config);
  if (!sources.some((s) => s.id === id))
    return fail(
      `there is no source "${id}"${sources.length ? ` (sources: ${sources.map((s) => s.id).join(', ')})` : ''}`,
    );
  try {
    config.updateSettings({ sources: sources.filter((s) => s.id !== id) });
    return ok(true);
  } catch (e) {
    return fail(`the source was not removed: ${errorMessage(e)}`);
  }
}

/**
 * Seals any token found in clear (a hand-edited file, or settings.update given one) and saves,
 * so the file holds none for longer than it takes to notice. Returns how many were sealed.
 */
export function sealStoredSources(config: Settings, box: SecretBox): number {
  const sources = sourcesOf(config);
  const clear = sources.filter((s) => !isSealed(s.token));
  if (clear.length === 0) return 0;
  config.updateSettings({ sources: sources.map((s) => (isSealed(s.token) ? s : { ...s, token: box.seal(s.token) })) });
  return clear.length;
}
