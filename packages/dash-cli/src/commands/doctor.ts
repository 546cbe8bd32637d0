import type { BackendPlugin } from 'dash-core';
import {
  assertTrusted,
  PluginHost,
  blameCrash,
  createLogger,
  DEFAULT_DEADLINES,
  findConfig,
  isConfigError,
  loadCache,
  loadConfig,
  loadPlugins,
  prepareBackends,
  saveCursors,
  takeSyncTurn,
  Redactor,
  Store,
  jsonText,
  terminalLines,
  terminalText,
  type ConfigIssue,
  type CursorUpdate,
  type LoadedConfig,
  type LoadedPlugin,
  type PreparedBackend,
} from 'dash-core/host';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { blameWith } from '../crash.js';
import { parseTimeoutOption } from '../option-values.js';
import { PLUGIN_SOURCES } from '../plugin-sources.js';
import { cacheTarget, type GlobalOptions } from '../setup.js';

export interface DoctorCommandOptions extends GlobalOptions {
  json?: boolean;
  timeout?: string;
}

/** The verdict on one [[backends]] entry. */
export interface BackendVerdict {
  id: string;
  plugin: string;
  package: string | null;
  version: string | null;
  path: string | null;
  /** "config": plugin or options rejected; "healthCheck" / "sync": how the backend was tried. */
  check: 'config' | 'healthCheck' | 'sync';
  ok: boolean;
  code: string | null;
  message: string;
  hint: string | null;
}

/** The state of one [[outputs]] entry, as its outbox on disk tells it (see `dash-cli outputs`). */
export interface OutputVerdict {
  id: string;
  plugin: string;
  /** ok · queued · failing · disabled, or "not-running" when it cannot be created. */
  status: string;
  ok: boolean;
  message: string;
}

export interface DoctorReport {
  config: { file: string | null; ok: boolean; issues: { path: string; line: number | null; message: string }[] };
  backends: BackendVerdict[];
  /** Only when the config has [[outputs]]. */
  outputs?: OutputVerdict[];
}


function issueOf(issue: ConfigIssue) {
  return { path: issue.path, line: issue.line ?? null, message: issue.message };
}

function hintFor(code: string | null, id: string, plugin: BackendPlugin<unknown>): string | null {
  if (code === 'AUTH_REQUIRED') {
    // Only a plugin with a sign-in step can be fixed by `dash-cli auth`; otherwise it is the credentials in the config.
    return plugin.auth
      ? `sign in with: dash-cli auth ${id} (or check its credentials in the config)`
      : `check the credentials of backend "${id}" in the config (see the README of ${plugin.name} for where to get them)`;
  }
  if (code === 'RATE_LIMITED') return 'the service asked to slow down; Dash waits and retries on its own';
  if (code === 'BACKEND_TIMEOUT') return 'no answer in time: check the network, or retry with a longer --timeout';
  if (code === 'NETWORK') return 'check the network connection and the service URL in the config';
  return null;
}

/** One backend, on its own, so one bad entry does not hide what the others say. */
async function prepareOne(
  loaded: LoadedConfig,
  index: number,
  plugins: readonly LoadedPlugin[],
): Promise<{ prepared?: PreparedBackend; issues: ConfigIssue[]; code?: string }> {
  const backend = loaded.config.backends[index]!;
  const single: LoadedConfig = { ...loaded, config: { ...loaded.config, backends: [backend], secrets: [...loaded.config.secrets] }, issues: [] };
  try {
    // The plugins were loaded (and checked against each other) for the whole config: see runDoctor.
    const [prepared] = await prepareBackends(single, { plugins });
    loaded.config.secrets.push(...single.config.secrets);
    return { prepared, issues: [] };
  } catch (error) {
    if (isConfigError(error)) return { issues: error.issues, code: error.code };
    throw error;
  }
}

/** A backend whose saved quota block still lasts is not asked again before it lifts (any command saved it). */
function savedBlock(prepared: PreparedBackend, store: Store): BackendVerdict | undefined {
  const saved = store.source(prepared.config.id);
  if (saved?.status !== 'rate-limited' || saved.rateLimitedUntil === null || Date.parse(saved.rateLimitedUntil) <= Date.now()) return undefined;
  return {
    ...identity(prepared),
    check: 'healthCheck',
    ok: false,
    code: 'RATE_LIMITED',
    message: `rate-limited until ${saved.rateLimitedUntil} (saved by an earlier run); not asked again before then`,
    hint: hintFor('RATE_LIMITED', prepared.config.id, prepared.plugin),
  };
}

function identity(prepared: PreparedBackend): Pick<BackendVerdict, 'id' | 'plugin' | 'package' | 'version' | 'path'> {
  return { id: prepared.config.id, plugin: prepared.config.plugin, package: prepared.packageName, version: prepared.version ?? null, path: prepared.path };
}

/**
 * Checks the backends the way every command runs them: one PluginHost (creation, supervision and
 * deadlines as in `watch`), each backend's healthCheck or, without one, a sync of this week;
 * the cached state (cursor included) is in `store`, so a quota block this check runs into is
 * saved for the next (see runDoctor).
 */
async function checkBackends(backends: PreparedBackend[], loaded: LoadedConfig, redactor: Redactor, timeoutMs: number, verbose: boolean, store: Store): Promise<BackendVerdict[]> {
  if (backends.length === 0) return [];
  // A dispose or run that never settles holds doctor no longer than the deadlines (or --timeout when shorter).
  const deadlines = { createMs: timeoutMs, syncMs: timeoutMs, disposeMs: Math.min(DEFAULT_DEADLINES.disposeMs, timeoutMs), stopMs: Math.min(DEFAULT_DEADLINES.stopMs, timeoutMs) };
  const log = createLogger({ level: verbose ? 'debug' : 'warn', redactor });
  const host = new PluginHost({ store, backends, timeZone: loaded.config.timezone, weekStart: loaded.config.weekStart, log, redactor, configDir: loaded.config.dir, deadlines });
  try {
    const outcomes = await host.checkHealth({ timeoutMs });
    return outcomes.map((outcome, index) => {
      const prepared = backends[index]!;
      const hint = outcome.ok ? null : (outcome.hint ?? hintFor(outcome.code, outcome.id, prepared.plugin));
      return { ...identity(prepared), check: outcome.check, ok: outcome.ok, code: outcome.code, message: outcome.message, hint: hint ? redactor.redact(hint) : null };
    });
  } finally {
    await host.stop();
  }
}

/**
 * What the checks learned that the next run must know (a quota block above all) goes into the
 * cache, taking the sync lock so no concurrent sync's result is overwritten.
 */
async function keepCursors(file: string, updates: CursorUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  try {
    let turn = await takeSyncTurn(file, { holdMs: 5_000 });
    if (turn.kind === 'waited') turn = await takeSyncTurn(file, { holdMs: 5_000 });
    try {
      await saveCursors(file, updates);
    } finally {
      if (turn.kind === 'sync') turn.lock.release();
    }
  } catch (error) {
    process.stderr.write(`dash-cli: warning: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/** The report for a person: every line safe for a terminal (a backend's message is one line). */
function printText(report: DoctorReport): void {
  const out: string[] = [];
  if (report.config.ok) out.push(terminalText(`✓ config ${report.config.file}`));
  else {
    out.push(terminalText(`✗ config ${report.config.file ?? '(none)'}`));
    // A TOML syntax error's message spans lines on purpose (the offending line, a caret).
    for (const issue of report.config.issues) out.push(terminalLines(`    ${issue.line === null ? '' : `line ${issue.line}: `}${issue.path ? `${issue.path}: ` : ''}${issue.message}`));
  }
  for (const backend of report.backends) {
    const what = [backend.package, backend.version].filter(Boolean).join(' ');
    out.push(terminalText(`${backend.ok ? '✓' : '✗'} ${backend.id}${what ? ` (${what})` : ''}: ${backend.ok ? '' : `${backend.code}: `}${backend.message}`));
    if (backend.hint) out.push(terminalText(`    hint: ${backend.hint}`));
  }
  for (const output of report.outputs ?? []) {
    out.push(terminalText(`${output.ok ? '✓' : '✗'} output ${output.id} (${output.plugin}): ${output.message}`));
  }
  const bad = report.backends.filter((backend) => !backend.ok).length + (report.outputs ?? []).filter((output) => !output.ok).length + (report.config.ok ? 0 : 1);
  out.push('', bad === 0 ? 'All good.' : `${bad} problem${bad === 1 ? '' : 's'} found.`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** The exit code: 2 config problems, else 4 a backend needs sign-in, else 3 a backend unhealthy, else 0. */
export function doctorExitCode(report: DoctorReport): ExitCode {
  if (!report.config.ok || report.backends.some((backend) => backend.check === 'config')) return EXIT.usage;
  if (report.backends.some((backend) => !backend.ok && backend.code === 'AUTH_REQUIRED')) return EXIT.auth;
  if (report.backends.some((backend) => !backend.ok) || (report.outputs ?? []).some((output) => !output.ok)) return EXIT.partial;
  return EXIT.ok;
}

/** Each output's state from its outbox (created passively: nothing is sent); its config problems join the config's. */
async function outputVerdicts(loaded: LoadedConfig, redactor: Redactor, verbose: boolean, report: DoctorReport): Promise<OutputVerdict[]> {
  const { inspectOutputs, describeStatus } = await import('./outputs.js');
  const log = createLogger({ level: verbose ? 'debug' : 'warn', redactor });
  try {
    const runner = await inspectOutputs(loaded, log, redactor);
    const statuses = runner.statuses();
    await runner.stop();
    return statuses.map((status) => {
      const state = status.state?.status ?? 'not-running';
      return { id: status.id, plugin: status.plugin, status: state, ok: state !== 'failing' && state !== 'disabled' && state !== 'not-running', message: redactor.redact(describeStatus(status)) };
    });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    report.config.ok = false;
    report.config.issues.push(...error.issues.map(issueOf));
    return [];
  }
}

/**
 * `dash-cli doctor`: checks the config, resolves and loads every plugin, validates its
 * options, then asks each backend's healthCheck (or tries one sync) with a timeout.
 */
export async function runDoctor(options: DoctorCommandOptions): Promise<ExitCode> {
  const timeoutMs = parseTimeoutOption(options.timeout, 15_000);
  const found = findConfig({ explicit: options.config });
  const report: DoctorReport = { config: { file: found.file ?? null, ok: true, issues: [] }, backends: [] };
  let loaded: LoadedConfig | undefined;
  if (!found.file) {
    report.config.ok = false;
    report.config.issues.push({ path: '', line: null, message: `no config file found (looked at ${found.searched.join(', ')}); create one with dash-cli init` });
  } else {
    // An untrusted folder config: refused before any of its plugins is imported, as everywhere.
    assertTrusted(found);
    try {
      loaded = loadConfig(found.file);
      assertTrusted(found, { text: loaded.text });
    } catch (error) {
      if (!isConfigError(error)) throw error;
      report.config.ok = false;
      report.config.issues.push(...error.issues.map(issueOf));
    }
  }
  if (loaded) {
    const general = loaded.issues.filter((issue) => !/^backends\[\d+\]/.test(issue.path));
    if (general.length > 0) {
      report.config.ok = false;
      report.config.issues.push(...general.map(issueOf));
    }
    if (loaded.config.backends.length === 0) {
      report.config.issues.push({ path: 'backends', line: null, message: 'no [[backends]] configured: Dash has nothing to show (see dash-cli init)' });
      report.config.ok = false;
    }
    const redactor = new Redactor().add(...loaded.config.secrets);
    blameWith(blameCrash, (text) => redactor.redact(text));
    const target = options.demo ? undefined : cacheTarget(options, loaded.config);
    const store = target ? loadCache(target.file, { fingerprints: target.fingerprints }).store : new Store();
    // The check every command runs (a plugin from two places included), once for the whole config.
    const plugins = await loadPlugins(loaded.config, PLUGIN_SOURCES);
    const cursorsBefore = new Map(store.sources().map((source) => [source.id, JSON.stringify(source.cursor ?? null)]));
    const checked = await Promise.all(
      loaded.config.backends.map(async (backend, index): Promise<{ verdict: BackendVerdict } | { prepared: PreparedBackend }> => {
        const own = loaded!.issues.filter((issue) => issue.path.startsWith(`backends[${backend.index}]`));
        const { prepared, issues, code } = own.length > 0 ? { prepared: undefined, issues: own, code: 'CONFIG_INVALID' } : await prepareOne(loaded!, index, plugins);
        if (!prepared) {
          return { verdict: {
            id: backend.id,
            plugin: backend.plugin,
            package: null,
            version: null,
            path: null,
            check: 'config',
            ok: false,
            code: code ?? 'CONFIG_INVALID',
            message: redactor.redact(issues.map((issue) => `${issue.line === undefined ? '' : `line ${issue.line}: `}${issue.path}: ${issue.message}`).join('; ')),
            hint:
              code === 'PLUGIN_NOT_FOUND'
                ? 'install the plugin next to the config file (npm install <package>), or fix the name or path'
                : plugins.find((item) => item.index === backend.index)?.status === 'conflict'
                  ? 'keep one copy of the plugin: name the same path (or package) in every [[backends]] that uses it'
                  : 'fix the config: the message names the key; the plugin README lists its options',
          } };
        }
        redactor.add(...loaded!.config.secrets);
        const blocked = savedBlock(prepared, store);
        return blocked ? { verdict: blocked } : { prepared };
      }),
    );
    const toCheck = checked.flatMap((item) => ('prepared' in item ? [item.prepared] : []));
    const outcomes = await checkBackends(toCheck, loaded, redactor, timeoutMs, options.verbose === true, store);
    const verdicts = checked.map((item) => ('verdict' in item ? item.verdict : outcomes[toCheck.indexOf(item.prepared)]!));
    report.backends.push(...verdicts);
    if (loaded.config.outputs.length > 0 && !loaded.issues.some((issue) => issue.path.startsWith('outputs'))) {
      report.outputs = await outputVerdicts(loaded, redactor, options.verbose === true, report);
    }
    if (target) {
      const updates: CursorUpdate[] = store
        .sources()
        .filter((source) => source.id in target.fingerprints && JSON.stringify(source.cursor ?? null) !== (cursorsBefore.get(source.id) ?? 'null'))
        .map((source) => ({ id: source.id, plugin: source.plugin, fingerprint: target.fingerprints[source.id]!, cursor: source.cursor }));
      await keepCursors(target.file, updates);
    }
  }
  if (options.json) process.stdout.write(`${jsonText(report)}\n`);
  else printText(report);
  return doctorExitCode(report);
}
