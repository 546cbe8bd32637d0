import { parseArgs } from 'node:util';
import { MAX_MAX_AGE_SECONDS, MAX_TIMEOUT_SECONDS, parseBoundedDuration, parseInstant, type Snapshot } from 'dash-core/snapshot';
import { cachedWeekOf } from './snapshot/cached-week.js';
import { snapshotOutcome } from './snapshot/outcome.js';
import { snapshotJson, wantsPretty } from './snapshot/json.js';
import { statusFormatOf, STATUS_OPTIONS } from './status/options.js';
import { renderStatus } from './status/formats.js';
import { followStatus, syncArgsOf } from './status/follow.js';

export interface FastResult {
  stdout: string;
  stderr: string;
  code: number;
}

type Render = (snapshot: Snapshot) => string | Promise<string>;

/** The options every read command shares (the same names as commander's, in cli.ts). */
const READ_OPTIONS = {
  offline: { type: 'boolean' },
  config: { type: 'string', short: 'c' },
  at: { type: 'string' },
  timeout: { type: 'string' },
  'max-age': { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

/** How each read command prints a snapshot, from its own parsed options (undefined: not here). */
const COMMANDS = {
  snapshot: {
    options: { json: { type: 'boolean' }, pretty: { type: 'boolean' } },
    render: (values: Record<string, unknown>): Render =>
      values.json === true
        ? (snapshot) => snapshotJson(snapshot, { pretty: wantsPretty(values.pretty === true) })
        : // The summary and its display-width tables load only for it (bundled, evaluated on first use).
          async (snapshot) => `${await (await import('./snapshot/summary.js')).formatSummary(snapshot)}\n`,
  },
  status: {
    options: STATUS_OPTIONS,
    render: (values: Record<string, unknown>): Render | undefined => {
      if (values.follow === true) return undefined;
      const format = statusFormatOf(values);
      return format && ((snapshot: Snapshot) => renderStatus(snapshot, format));
    },
  },
} as const;

/**
 * The read commands in the executable (what a status bar runs every few seconds: `snapshot
 * --json`, `status`, the human summary): argv is parsed with node's parseArgs and the week is read
 * through the one read path (snapshot/cached-week.ts) from the config record, so no commander,
 * zod, TOML or plugin loads.
 *
 * Returns undefined, having printed nothing, when the cache alone cannot answer: another flag or
 * an invalid value, no config record or one that no longer describes the config, a source that is
 * not fresh enough without --offline. The full CLI then loads the config (saving its record) and
 * reads the same way, or syncs.
 */
export async function fastRead(argv: readonly string[]): Promise<FastResult | undefined> {
  try {
    return await attempt(argv);
  } catch {
    return undefined;
  }
}

/**
 * `status --follow` with nothing unusual on its command line: started here, in the executable,
 * so the process that stays running loads neither commander nor zod (see follow.ts).
 */
export function fastFollow(argv: readonly string[]): Promise<number | 'session'> | undefined {
  if (argv[0] !== 'status') return undefined;
  let values;
  try {
    ({ values } = parseArgs({ args: argv.slice(1), strict: true, allowPositionals: false, options: { ...READ_OPTIONS, ...STATUS_OPTIONS } }));
    if (values.follow !== true || values.at !== undefined) return undefined;
    const format = statusFormatOf(values);
    const read = readValues(values);
    if (!read) return undefined;
    return followStatus({
      format,
      configFlag: values.config,
      offline: read.offline,
      maxAgeMs: read.maxAgeMs,
      syncArgs: syncArgsOf({ ...values, maxAge: values['max-age'] }),
      write: (text) => process.stdout.write(text),
      warn: (text) => process.stderr.write(text),
    });
  } catch {
    return undefined;
  }
}

/**
 * The read options, through the same bounded parsers as the full path (option-values.ts); undefined
 * when one is invalid: the full path then reports what is wrong.
 */
function readValues(values: { offline?: boolean; at?: string; timeout?: string; 'max-age'?: string }): { offline: boolean; at: Date | undefined; maxAgeMs: number | undefined } | undefined {
  const at = values.at === undefined ? undefined : parseInstant(values.at);
  if (values.at !== undefined && !at) return undefined;
  if (values.timeout !== undefined && !parseBoundedDuration(values.timeout, { min: 1, max: MAX_TIMEOUT_SECONDS }).ok) return undefined;
  const maxAge = values['max-age'] === undefined ? undefined : parseBoundedDuration(values['max-age'], { min: 0, max: MAX_MAX_AGE_SECONDS });
  if (maxAge && !maxAge.ok) return undefined;
  return { offline: values.offline === true, at, maxAgeMs: maxAge?.ok ? maxAge.seconds * 1000 : undefined };
}

async function attempt(argv: readonly string[]): Promise<FastResult | undefined> {
  const command = COMMANDS[argv[0] as keyof typeof COMMANDS];
  if (!command) return undefined;
  const { values, positionals } = parseArgs({ args: argv.slice(1), strict: true, allowPositionals: true, options: { ...READ_OPTIONS, ...command.options } });
  if (positionals.length > 0) return undefined;
  const render = command.render(values);
  if (!render) return undefined;
  const read = readValues(values);
  if (!read) return undefined;
  const { offline, at, maxAgeMs } = read;
  // Without --offline, only a cache fresh enough to be served as is (see below); --at then syncs.
  if (!offline && at !== undefined) return undefined;
  const found = cachedWeekOf(values.config, { now: at ?? new Date(), maxAgeMs, offline });
  if (found?.week.kind !== 'served') return undefined;
  const { snapshot, warning, missing } = found.week;
  return { stdout: await render(snapshot), ...snapshotOutcome(snapshot, { warning, missing }) };
}
