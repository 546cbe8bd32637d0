import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { systemTimeZone, type Weekday } from '../calendar.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { DASH_EVENT_TYPES, type DashEventType } from '../events/types.js';
import type { Goals } from '../snapshot/build.js';
import { substituteEnv } from './env.js';
import { closest } from '../suggest.js';
import { locateKey } from './locate.js';
import { ConfigFileSchema } from './schema.js';

/** One `[[backends]]` entry, before its plugin has validated the options. */
export interface BackendConfig {
  /** Position in the file (0-based), for `backends[1].x` paths. */
  index: number;
  /** Unique instance id: `id = "…"`, else the plugin's shorthand. */
  id: string;
  /** As written: "toggl", "@acme/dash-plugin-x", "./local/plugin.js". */
  plugin: string;
  /** Every other key of the table, `${VAR}`s substituted. */
  options: Record<string, unknown>;
  /**
   * The values `${VAR}`s put into the options, by option path (`api_token`, `auth.key`). Which
   * of them are secrets is the plugin's to say (see prepareBackends and `secretOptions`).
   */
  fromEnv?: { path: string; value: string }[];
}

/** One `[[outputs]]` entry, before its plugin has validated the options. */
export interface OutputConfig {
  /** Position in the file (0-based), for `outputs[1].x` paths. */
  index: number;
  /** Unique among outputs: `id = "…"`, else the plugin's shorthand. */
  id: string;
  /** As written: "webhook", "influxdb", "dash-plugin-x", "./local/output.js". */
  plugin: string;
  /** The event types it gets (`events = [...]`; default: every type). */
  events: DashEventType[];
  /** Names this install in shared sinks: `instance = "…"`, else the host name. */
  instance: string;
  /** Every other key of the table, `${VAR}`s substituted. */
  options: Record<string, unknown>;
  /** The values `${VAR}`s put into the options, by option path (see BackendConfig.fromEnv). */
  fromEnv?: { path: string; value: string }[];
}

export interface DashConfig {
  /** Absolute path of the file read, undefined for a config built in code (the demo). */
  file: string | undefined;
  /** The folder plugins and relative paths are resolved from. */
  dir: string;
  timezone: string;
  weekStart: Weekday;
  workdays: Weekday[];
  goals: Goals;
  colors: Record<string, string>;
  backends: BackendConfig[];
  /** `[[outputs]]`: where Dash sends what it knows (README § Outputs). */
  outputs: OutputConfig[];
  /**
   * The secrets diagnostics mask (see Redactor): filled in by prepareBackends from what each
   * plugin marks secret; empty until then.
   */
  secrets: string[];
  /** `[serve]`: what `dash-cli serve` listens on and the token it wants (undefined: not set). */
  serve: ServeConfig;
}

export interface ServeConfig {
  host: string | undefined;
  port: number | undefined;
  token: string | undefined;
  /** Origins allowed cross-origin requests; empty: CORS off. */
  corsOrigins: string[];
}

export interface LoadedConfig {
  config: DashConfig;
  /** Problems found so far; the host adds the plugins' own and reports them all at once. */
  issues: ConfigIssue[];
  /** The file's text, for locating later issues. */
  text: string;
}

/** The shorthand a plugin name stands for, used as the default backend id. */
export function defaultBackendId(plugin: string): string {
  const base = plugin.replace(/\\/g, '/').replace(/\/+$/, '').split('/').pop()!.replace(/\.[cm]?[jt]s$/, '');
  return base.replace(/^dash-plugin-/, '') || 'backend';
}

/** Positions an issue in the file when its key can be found. */
/**
 * The id of `table[index]` (its `id`, else the plugin's default), taken in `seen`; a second entry
 * with the same id is an issue naming the first.
 */
function claimId(seen: Map<string, number>, table: 'backends' | 'outputs', index: number, rawId: unknown, plugin: string, issues: ConfigIssue[]): string {
  const id = typeof rawId === 'string' ? rawId : defaultBackendId(plugin);
  const earlier = seen.get(id);
  if (earlier !== undefined) {
    issues.push({
      path: `${table}[${index}].id`,
      message: `"${id}" is already the id of ${table}[${earlier}]; give each [[${table}]] a unique id = "…"`,
    });
  }
  seen.set(id, index);
  return id;
}

export function withPosition(text: string, issue: ConfigIssue): ConfigIssue {
  const position = locateKey(text, issue.path);
  return position ? { ...issue, ...position } : issue;
}

/** The keys Dash's own tables accept, for "did you mean" on an unknown one. */
const KNOWN_KEYS: Record<string, string[]> = {
  '': Object.keys(ConfigFileSchema.shape),
  goals: Object.keys(ConfigFileSchema.shape.goals.unwrap().shape),
};

export function zodIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): ConfigIssue[] {
  return issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))]
      .join('')
      .replace(/^\./, '');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const suggestion = closest(key, KNOWN_KEYS[base] ?? []);
        return {
          path: base ? `${base}.${key}` : key,
          message: suggestion ? `unknown key: did you mean "${suggestion}"?` : 'unknown key (check the spelling; see the README config reference)',
        };
      });
    }
    // `input` is only there when parsed with { reportInput: true } (zod 4).
    const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
    const message = missing ? (issue.message.startsWith('required') ? issue.message : 'required') : issue.message;
    return [{ path: base, message }];
  });
}

/**
 * Reads and checks a config file: TOML syntax (fatal, with line and column), `${VAR}`s and the
 * top-level schema. Plugin options are checked later, by each plugin's schema, and every issue
 * is reported together (see `prepareBackends`).
 */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? 'CONFIG_NOT_FOUND' : 'CONFIG_PARSE',
      path,
      [{ path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'error'})` }],
      { cause, hint: code === 'ENOENT' ? 'create one with `dash-cli init`, or try `dash-cli snapshot --demo`' : undefined },
    );
  }
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (cause) {
    if (cause instanceof TomlError) {
      let reason = cause.message.replace(/^Invalid TOML document: /, '').split('\n')[0]!;
      // smol-toml meets the end of the line inside a one-line string: a quote was never closed.
      if (/control characters are not allowed in strings/.test(reason) && unterminatedAt(text, cause.line, cause.column)) {
        reason = 'unterminated string: the closing quote is missing on this line';
      }
      throw new ConfigError('CONFIG_PARSE', path, [
        { path: '', message: `invalid TOML: ${reason}\n${cause.codeblock.trimEnd()}`, line: cause.line, column: cause.column },
      ]);
    }
    throw cause;
  }
  return checkConfig(document, { file: path, text, env });
}

/** Whether the error at line:column (1-based) is the end of its line, i.e. a string ran into it. */
function unterminatedAt(text: string, line: number, column: number): boolean {
  const row = text.split('\n')[line - 1];
  if (row === undefined) return false;
  return row.replace(/\r$/, '').length < column;
}

/** Checks an already parsed document (used by loadConfig and by configs built in code). */
export function checkConfig(
  document: Record<string, unknown>,
  options: { file?: string | undefined; text?: string; env?: NodeJS.ProcessEnv; dir?: string },
): LoadedConfig {
  const text = options.text ?? '';
  const substituted = substituteEnv(document, options.env ?? process.env);
  const issues: ConfigIssue[] = [...substituted.issues];
  const parsed = ConfigFileSchema.safeParse(substituted.value, { reportInput: true });
  if (!parsed.success) issues.push(...zodIssues(parsed.error.issues));
  const data = parsed.success ? parsed.data : undefined;

  const rawBackends = Array.isArray(substituted.value.backends) ? (substituted.value.backends as unknown[]) : [];
  const backends: BackendConfig[] = [];
  const seen = new Map<string, number>();
  rawBackends.forEach((raw, index) => {
    if (raw === null || typeof raw !== 'object' || typeof (raw as { plugin?: unknown }).plugin !== 'string') return;
    const { plugin, id: rawId, ...rest } = raw as Record<string, unknown> & { plugin: string };
    const id = claimId(seen, 'backends', index, rawId, plugin, issues);
    const prefix = `backends[${index}].`;
    const fromEnv = substituted.substitutions
      .filter((item) => item.path.startsWith(prefix))
      .map((item) => ({ path: item.path.slice(prefix.length), value: item.value }));
    backends.push({ index, id, plugin, options: rest, ...(fromEnv.length > 0 ? { fromEnv } : {}) });
  });

  const outputs = checkOutputs(substituted.value.outputs, substituted.substitutions, issues);

  const goals = data?.goals ?? {};
  const config: DashConfig = {
    file: options.file,
    dir: options.dir ?? (options.file ? dirname(options.file) : process.cwd()),
    timezone: data?.timezone ?? systemTimeZone(),
    weekStart: data?.week_start ?? 'monday',
    workdays: data?.workdays ?? ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
    goals: {
      weekly: goals.weekly ?? null,
      weeklyBillable: goals.weekly_billable ?? null,
      daily: goals.daily ?? null,
      dailyBillable: goals.daily_billable ?? null,
    },
    colors: data?.colors ?? {},
    backends,
    outputs,
    // serve.token from ${VAR} or literal is a secret: it is added here, the backends' by prepareBackends.
    secrets: data?.serve.token ? [data.serve.token] : [],
    serve: {
      host: data?.serve.host,
      port: data?.serve.port,
      token: data?.serve.token,
      corsOrigins: data?.serve.cors_origins ?? [],
    },
  };
  return { config, issues: issues.map((issue) => withPosition(text, issue)), text };
}

/**
 * The `[[outputs]]` entries (their Dash-owned keys already checked by the schema): ids default to
 * the plugin's shorthand and must be unique among outputs; `events` defaults to every type.
 */
function checkOutputs(value: unknown, substitutions: readonly { path: string; value: string }[], issues: ConfigIssue[]): OutputConfig[] {
  const raw = Array.isArray(value) ? (value as unknown[]) : [];
  const outputs: OutputConfig[] = [];
  const seen = new Map<string, number>();
  raw.forEach((entry, index) => {
    if (entry === null || typeof entry !== 'object' || typeof (entry as { plugin?: unknown }).plugin !== 'string') return;
    const { plugin, id: rawId, events, instance, ...rest } = entry as Record<string, unknown> & { plugin: string };
    const id = claimId(seen, 'outputs', index, rawId, plugin, issues);
    const prefix = `outputs[${index}].`;
    const fromEnv = substitutions
      .filter((item) => item.path.startsWith(prefix))
      .map((item) => ({ path: item.path.slice(prefix.length), value: item.value }));
    const types = Array.isArray(events)
      ? DASH_EVENT_TYPES.filter((type) => (events as unknown[]).includes(type))
      : [...DASH_EVENT_TYPES];
    outputs.push({
      index,
      id,
      plugin,
      events: types,
      instance: typeof instance === 'string' && instance !== '' ? instance : hostname(),
      options: rest,
      ...(fromEnv.length > 0 ? { fromEnv } : {}),
    });
  });
  return outputs;
}
