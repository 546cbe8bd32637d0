import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { cacheDir } from './dir.js';

export { cacheDir } from './dir.js';

/**
 * The cache file for one config: one file per config file, named by a hash of its absolute path
 * (`key`), so two configs never share (or fight over) a cache.
 */
export function cacheFileFor(key: string, env: NodeJS.ProcessEnv = process.env): string {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return join(cacheDir(env), `store-${digest}.json`);
}
