/**
 * Trusted folder configs, like direnv's `allow` or mise's `trust`: a `./dash.toml` found by
 * looking in the current folder names plugins (`./evil.js`, that folder's node_modules) that run
 * with the user's environment, tokens included. It runs plugins only once the user has trusted
 * it: `dash-cli trust` records its real path and the SHA-256 of its bytes in
 * `$XDG_DATA_HOME/dash/trusted.json`; a changed file needs trust again. Configs the user names
 * (`--config`, `$DASH_CONFIG`) or keeps in the XDG folder are their own and need none.
 *
 * Sync and dependency-free on the reading side: the snapshot fast path checks it too.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { DashError } from '../errors.js';
import { dataHome } from '../host/context.js';
import type { FoundConfig } from './find.js';
import { nodeCrypto } from '../builtins.js';

export interface TrustRecord {
  /** The config's absolute real path (symbolic links resolved). */
  path: string;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  /** When it was trusted, ISO 8601. */
  trustedAt: string;
}

/** `trusted`; `untrusted` (never trusted); `changed` (trusted, but its bytes differ now). */
export type TrustState = 'trusted' | 'untrusted' | 'changed';

const FORMAT = 'dash-trusted-configs';

/** `$XDG_DATA_HOME/dash/trusted.json` (`~/.local/share/dash/trusted.json`). */
export function trustStoreFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataHome(env), 'trusted.json');
}

/** The SHA-256 (hex) of a config's bytes; a string is taken as its UTF-8 encoding. */
export function contentHash(bytes: Buffer | string): string {
  return nodeCrypto().createHash('sha256').update(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).digest('hex');
}

/** The path a file is trusted under: its real path, else (gone) its absolute path. */
export function trustPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}

/** Every trusted config; a missing or unreadable store trusts nothing. */
export function readTrustStore(env: NodeJS.ProcessEnv = process.env): TrustRecord[] {
  try {
    const parsed = JSON.parse(readFileSync(trustStoreFile(env), 'utf8')) as { format?: unknown; files?: unknown };
    if (parsed.format !== FORMAT || !Array.isArray(parsed.files)) return [];
    return parsed.files.filter(
      (item): item is TrustRecord =>
        typeof item === 'object' && item !== null && typeof item.path === 'string' && typeof item.sha256 === 'string' && typeof item.trustedAt === 'string',
    );
  } catch {
    return [];
  }
}

/**
 * Whether `file` is trusted as it is now: `text`, when given, is the content that was read
 * (and will be used), so a file swapped between the check and the read is not trusted.
 */
export function trustState(file: string, options: { env?: NodeJS.ProcessEnv; text?: string } = {}): TrustState {
  const path = trustPath(file);
  const record = readTrustStore(options.env).find((item) => item.path === path);
  if (!record) return 'untrusted';
  let hash: string;
  try {
    hash = contentHash(options.text ?? readFileSync(path));
  } catch {
    return 'changed';
  }
  return hash === record.sha256 ? 'trusted' : 'changed';
}

/** `dash-cli trust <path>`, the path quoted for a POSIX shell when it needs it. */
export function trustCommand(file: string): string {
  return `dash-cli trust ${shellQuote(trustPath(file))}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Throws CONFIG_UNTRUSTED (a user error, exit 2) when `found` is a folder config that is not
 * trusted as it is: before any plugin of it is imported. Configs of the user's own pass.
 */
export function assertTrusted(found: FoundConfig, options: { env?: NodeJS.ProcessEnv; text?: string } = {}): void {
  if (!found.inFolder || found.file === undefined) return;
  const state = trustState(found.file, options);
  if (state === 'trusted') return;
  const path = trustPath(found.file);
  const why =
    state === 'changed'
      ? `${path} changed since you trusted it; its plugins run only once you trust it again`
      : `${path} is not trusted: a dash.toml found in the current folder runs plugins only once you trust it`;
  throw new DashError('CONFIG_UNTRUSTED', why, {
    hint: `read it, then run: ${trustCommand(path)} (or name your own config with --config PATH)`,
  });
}

async function writeStore(records: TrustRecord[], env: NodeJS.ProcessEnv): Promise<void> {
  const sorted = [...records].sort((a, b) => a.path.localeCompare(b.path));
  await writeFileAtomic(trustStoreFile(env), `${JSON.stringify({ format: FORMAT, version: 1, files: sorted }, null, 2)}\n`, { mode: 0o600 });
}

/** Trusts `file` as it is now (replacing an earlier record of it); CONFIG_NOT_FOUND when it cannot be read. */
export async function trustConfig(file: string, options: { env?: NodeJS.ProcessEnv; now?: Date } = {}): Promise<TrustRecord> {
  const env = options.env ?? process.env;
  const path = trustPath(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new DashError('CONFIG_NOT_FOUND', `cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'}): nothing to trust`, {
      hint: 'give the path of a config file: dash-cli trust PATH',
    });
  }
  const record: TrustRecord = { path, sha256: contentHash(bytes), trustedAt: (options.now ?? new Date()).toISOString() };
  await writeStore([...readTrustStore(env).filter((item) => item.path !== path), record], env);
  return record;
}

/** Forgets `file`; false when it was not trusted. */
export async function revokeTrust(file: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<boolean> {
  const env = options.env ?? process.env;
  const path = trustPath(file);
  const records = readTrustStore(env);
  const kept = records.filter((item) => item.path !== path);
  if (kept.length === records.length) return false;
  await writeStore(kept, env);
  return true;
}
