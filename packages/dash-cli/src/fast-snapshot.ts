import { parseArgs } from 'node:util';
import { MAX_MAX_AGE_SECONDS, MAX_TIMEOUT_SECONDS, parseBoundedDuration, parseInstant, terminalText } from 'dash-core/snapshot';
import { cachedSnapshot } from './cached-snapshot.js';
import { snapshotJson, wantsPretty } from './snapshot-json.js';

/**
 * The fast path of `dash-cli snapshot --json` (what a status bar runs every few seconds) when it
 * is served from the cache: with --offline, or when every backend's cached data is fresh enough:
 * argv parsed with node's parseArgs, the config's snapshot settings taken from the record the
 * full path saved next to the cache, the cache read into a zod-free view. It loads neither
 * commander, zod, TOML nor any plugin.
 *
 * Returns undefined, having printed nothing, whenever anything is unusual (another flag, no
 * record or one that no longer matches the config, a cache to warn about, a backend with no
 * cached data, an invalid value): the full path then does the same work with its own messages,
 * so the output is always the full path's.
 */
export function fastSnapshot(argv: readonly string[]): { stdout: string; stderr: string; code: number } | undefined {
  try {
    return attempt(argv);
  } catch {
    return undefined;
  }
}

function attempt(argv: readonly string[]): { stdout: string; stderr: string; code: number } | undefined {
  if (argv[0] !== 'snapshot') return undefined;
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    strict: true,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      pretty: { type: 'boolean' },
      offline: { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      at: { type: 'string' },
      timeout: { type: 'string' },
      'max-age': { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
    },
  });
  if (positionals.length > 0 || values.json !== true) return undefined;
  // Without --offline, only a cache fresh enough to be served as is (see below); --at then syncs.
  const offline = values.offline === true;
  if (!offline && values.at !== undefined) return undefined;
  // The same bounded parsers as the full path (option-values.ts), which reports what is wrong.
  const at = values.at === undefined ? undefined : parseInstant(values.at);
  if (values.at !== undefined && !at) return undefined;
  if (values.timeout !== undefined && !parseBoundedDuration(values.timeout, { min: 1, max: MAX_TIMEOUT_SECONDS }).ok) return undefined;
  let maxAgeMs: number | undefined;
  if (values['max-age'] !== undefined) {
    const maxAge = parseBoundedDuration(values['max-age'], { min: 0, max: MAX_MAX_AGE_SECONDS });
    if (!maxAge.ok) return undefined;
    maxAgeMs = maxAge.seconds * 1000;
  }
  const found = cachedSnapshot({ configFlag: values.config, now: at ?? new Date(), maxAgeMs, offline });
  if (!found) return undefined;
  const { snapshot } = found;
  // Data as it is (it holds no secret; error messages were masked when the backend reported them).
  const stdout = snapshotJson(snapshot, { pretty: wantsPretty(values.pretty) });
  const failed = snapshot.sources.filter((source) => source.status === 'error' || source.status === 'rate-limited');
  const code = failed.some((source) => source.error?.code === 'AUTH_REQUIRED') ? 4 : failed.length > 0 ? 3 : 0;
  const stderr = code === 0 ? '' : snapshot.sources.filter((source) => source.error).map((source) => `dash-cli: ${terminalText(`${source.id}: ${source.error!.message}`)}\n`).join('');
  return { stdout, stderr, code };
}
