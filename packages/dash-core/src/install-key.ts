import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataHome } from './host/context.js';
import { nodeCrypto } from './builtins.js';

/**
 * This install's random key: 32 bytes from the system's CSPRNG, kept in
 * `$XDG_DATA_HOME/dash/install-key` (0600). Everything Dash stores that is derived from a secret
 * (a cache fingerprint of a backend's options, the config record's key, a plugin's account
 * fingerprint) is an HMAC under this key, so a copy of the cache tells nothing about a token,
 * not even by guessing candidates. Deleting the file is safe: the cache is then rebuilt.
 */
export function installKeyFile(home: string = dataHome()): string {
  return join(home, 'install-key');
}

const KEY_TEXT = /^[0-9a-f]{64}\n?$/;


/** The key in `home` (default: $XDG_DATA_HOME/dash) if the file holds one (never creates it: the snapshot fast path). */
export function readInstallKey(home: string = dataHome()): Buffer | undefined {
  try {
    const text = readFileSync(installKeyFile(home), 'utf8');
    return KEY_TEXT.test(text) ? Buffer.from(text.slice(0, 64), 'hex') : undefined;
  } catch {
    return undefined;
  }
}

/** Per process, when the data folder cannot be written: nothing keyed with it outlives the run. */
let ephemeral: Buffer | undefined;

/**
 * The key, created on first use. Creation is atomic across processes (a temp file linked into
 * place: the first one wins, the others read it). A key file readable by others is narrowed to
 * 0600; a damaged one is replaced. When the data folder cannot be written, a key for this
 * process only (the cache is then not reused across runs, but nothing weaker is stored).
 */
export function installKey(home: string = dataHome()): Buffer {
  const file = installKeyFile(home);
  const found = readInstallKey(home);
  if (found) {
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch {
      // read-only: the key still works
    }
    return found;
  }
  const temp = `${file}.${process.pid}-${Date.now().toString(36)}.tmp`;
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    writeFileSync(temp, `${nodeCrypto().randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temp, file);
    } catch (error) {
      // Another process was first (EEXIST), or the file there is damaged: replace only the latter.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || readInstallKey(home)) throw error;
      unlinkSync(file);
      linkSync(temp, file);
    }
  } catch {
    // fall through: read what is there, or use a key for this process
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // not created
    }
  }
  return readInstallKey(home) ?? (ephemeral ??= nodeCrypto().randomBytes(32));
}

/** A keyed digest (HMAC-SHA256 under `key`, 32 hex digits) of `text`: safe to store. */
export function keyedDigest(key: Buffer, text: string): string {
  return nodeCrypto().createHmac('sha256', key).update(text).digest('hex').slice(0, 32);
}
