/**
 * This workspace's packages as npm would publish them: `npm pack` of each into a temp folder,
 * standing in for the registry until they are published (the doc's "from packed tarballs").
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const PACKAGES = ['dash-core', 'dash-plugin-toggl', 'dash-plugin-upwork', 'dash-cli'] as const;

/** Packs every package (`npm run build` first); returns the folder and each package's tarball by name. */
export function packWorkspace(): { dir: string; tarballs: Record<(typeof PACKAGES)[number], string> } {
  const dir = mkdtempSync(join(tmpdir(), 'dash-packs-'));
  for (const name of PACKAGES) {
    execFileSync('npm', ['pack', '--workspace', `packages/${name}`, '--pack-destination', dir], { cwd: ROOT, stdio: 'ignore' });
  }
  const tarballs = Object.fromEntries(readdirSync(dir).map((file) => [file.replace(/-\d+\.\d+\.\d+.*\.tgz$/, ''), join(dir, file)]));
  return { dir, tarballs: tarballs as Record<(typeof PACKAGES)[number], string> };
}

/** What npm needs from the machine to reach a registry (a proxy, its CA), when set. */
const NETWORK = /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(HTTPS?|NO)_PROXY|(https?|no)_proxy)$/;

/**
 * An npm environment from scratch: the user's npm cache (offline first), no audit, fund or
 * notifier, and the machine's proxy and CA settings (else a lookup npm makes anyway, e.g. for an
 * unpublished dash-core, retries for a minute).
 */
export function npmEnv(home: string): Record<string, string> {
  const network = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => NETWORK.test(entry[0]) && entry[1] !== undefined));
  const cache = execSync('npm config get cache', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  return {
    ...network,
    PATH: process.env.PATH!,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.data'),
    XDG_CACHE_HOME: join(home, '.cache'),
    npm_config_cache: cache,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    TZ: 'UTC',
    NO_COLOR: '1',
    CI: '1',
  };
}
