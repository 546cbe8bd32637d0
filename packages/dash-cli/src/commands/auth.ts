import { createInterface } from 'node:readline/promises';
import { DashError, isDashError, type AuthIO } from 'dash-core';
import { blameCrash, createBackendContext, createLogger, Redactor, Store, supervise, terminalLines, terminalText, withDeadline } from 'dash-core/host';
import { blameWith } from '../crash.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/** The sign-in waits for a person (a browser, a pasted address), but not forever. */
const AUTH_DEADLINE_MS = 15 * 60_000;
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
  // Like every plugin call (see dash-core's supervise): an error its code raises where nobody
  // catches it fails this sign-in instead of crashing dash-cli.
  blameWith(blameCrash, (text) => redactor.redact(text));
  let crash!: (error: unknown) => void;
  const crashed = new Promise<never>((_, reject) => {
    crash = (error) => reject(new DashError('BACKEND_CRASHED', error instanceof Error ? error.message : String(error)));
  });
  crashed.catch(() => {});
  const signingIn = supervise({ id: backendId, crashed: crash }, async () => plugin.auth!(prepared.options, context, io));
  try {
    await withDeadline(
      Promise.race([signingIn, crashed]),
      AUTH_DEADLINE_MS,
      () => new DashError('AUTH_FAILED', `the sign-in did not finish within ${AUTH_DEADLINE_MS / 60_000} minutes`),
      () => done.abort(),
    );
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
