import { createInterface } from 'node:readline/promises';
import { createBackendContext, createLogger, DashError, isDashError, Redactor, Store, terminalLines, terminalText, type AuthIO } from 'dash-core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { openConfig, type GlobalOptions } from '../setup.js';

/** A line-reading prompt on a terminal (stderr), closed when `signal` aborts; none without a terminal. */
function terminalPrompt(signal: AbortSignal): AuthIO['prompt'] {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      return await rl.question(terminalText(question), { signal });
    } catch {
      return undefined;
    } finally {
      rl.close();
    }
  };
}

/**
 * `dash-cli auth <backend-id>`: runs the sign-in step of the plugin behind one [[backends]] entry
 * (OAuth and the like), with the same context the backend gets when it runs.
 * 0 signed in · 2 unknown backend, no sign-in step, config error · 4 sign-in failed.
 */
export async function runAuth(backendId: string, options: GlobalOptions): Promise<ExitCode> {
  const { config, backends } = await openConfig({ ...options, demo: false });
  const prepared = backends.find((backend) => backend.config.id === backendId);
  if (!prepared) {
    const ids = backends.map((backend) => backend.config.id);
    throw new DashError('USAGE', `no backend with id "${backendId}" in ${config.file ?? 'the config'}`, {
      hint: ids.length > 0 ? `the backends are: ${ids.join(', ')}` : 'add a [[backends]] entry first (dash-cli init)',
    });
  }
  const plugin = prepared.plugin;
  if (typeof plugin.auth !== 'function') {
    throw new DashError('USAGE', `backend "${backendId}" (${prepared.packageName}) has no sign-in step: its credentials go in the config`, {
      hint: `see the README of ${prepared.packageName} for its options`,
    });
  }
  const redactor = new Redactor().add(...config.secrets);
  const log = createLogger({ level: options.verbose ? 'debug' : 'warn', redactor });
  const store = new Store();
  const context = createBackendContext({
    id: backendId,
    store: store.addSource(backendId, prepared.packageName),
    log,
    now: () => new Date(),
    timeZone: config.timezone,
    weekStart: config.weekStart,
    configDir: config.dir,
    redactor,
  });
  const done = new AbortController();
  const io: AuthIO = {
    print: (line) => process.stderr.write(`${terminalLines(redactor.redact(line))}\n`),
    prompt: terminalPrompt(done.signal),
    signal: done.signal,
  };
  try {
    await plugin.auth(prepared.options, context, io);
    return EXIT.ok;
  } catch (error) {
    if (!isDashError(error) || error.code === 'INTERRUPTED') throw error;
    process.stderr.write(`${terminalLines(redactor.redact(`dash-cli: sign-in for "${backendId}" failed: ${error.message}`))}\n`);
    if (error.hint) process.stderr.write(`hint: ${terminalText(redactor.redact(error.hint))}\n`);
    return EXIT.auth;
  } finally {
    done.abort();
  }
}
