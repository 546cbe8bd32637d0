import { DashError } from 'dash-core';
import { jsonText, prepareOutputs, Store, terminalText, type LoadedConfig } from 'dash-core/host';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { PLUGIN_SOURCES } from '../plugin-sources.js';
import { OutputRunner, type OutputStatus } from '../outputs/runner.js';
import { readConfig, type GlobalOptions, type Session } from '../setup.js';

export interface OutputsCommandOptions extends GlobalOptions {
  json?: boolean;
}

/** How long `outputs test` waits for the receiver (its 15 s request timeout, and a little). */
const TEST_TIMEOUT_MS = 20_000;

/**
 * The [[outputs]] of the config, created passively (OutputContext.passive: nothing is delivered,
 * each reads its durable state), for `outputs`, `outputs test` and `doctor`. Works while no host runs.
 */
export async function inspectOutputs(loaded: LoadedConfig, log: Session['log'], redactor: Session['redactor'], only?: string): Promise<OutputRunner> {
  const prepared = await prepareOutputs(loaded, { builtins: PLUGIN_SOURCES.builtinOutputs, fallbackDirs: PLUGIN_SOURCES.fallbackDirs });
  redactor.add(...loaded.config.secrets);
  const runner = new OutputRunner({
    outputs: only === undefined ? prepared : prepared.filter((output) => output.config.id === only),
    store: new Store(),
    log,
    redactor,
    now: () => new Date(),
    configDir: loaded.config.dir,
    passive: true,
  });
  await runner.start();
  return runner;
}

/** One output's state in words: delivered, queued, failing since …, disabled. */
export function describeStatus(status: OutputStatus): string {
  if (!status.state) return `not running: ${status.error?.message ?? 'unknown'}`;
  const { state } = status;
  const queued = `${state.queued} queued`;
  switch (state.status) {
    case 'disabled':
      return `disabled: ${state.lastError?.message ?? 'given up'} (\`dash-cli outputs test ${status.id}\` re-enables it)`;
    case 'failing':
      return `failing since ${state.failingSince ?? '?'}, ${queued}${state.lastError ? `; last error: ${state.lastError.message}` : ''}`;
    case 'queued':
      return queued;
    default:
      return state.delivered > 0 ? `delivered (${state.delivered} recently, nothing queued)` : 'ok (nothing delivered yet, nothing queued)';
  }
}

async function loggerFor(options: GlobalOptions) {
  const { createLogger, Redactor } = await import('dash-core/host');
  const redactor = new Redactor();
  return { redactor, log: createLogger({ level: options.verbose ? 'debug' : 'warn', redactor }) };
}

/** `dash-cli outputs`: every output with its state, read from disk (works while no host runs). */
export async function runOutputs(action: string | undefined, id: string | undefined, options: OutputsCommandOptions): Promise<ExitCode> {
  if (action !== undefined && action !== 'test') {
    throw new DashError('USAGE', `unknown action "${action}"`, { hint: 'dash-cli outputs (list them) or dash-cli outputs test <id>' });
  }
  const loaded = readConfig({ ...options, demo: false });
  const { log, redactor } = await loggerFor(options);
  if (action === 'test') return testOutput(loaded, id, log, redactor, options);
  if (loaded.config.outputs.length === 0) {
    if (options.json) process.stdout.write(`${jsonText({ outputs: [] })}\n`);
    else process.stdout.write(`no [[outputs]] in ${loaded.config.file ?? 'the config'} (see the README, "Outputs")\n`);
    return EXIT.ok;
  }
  const runner = await inspectOutputs(loaded, log, redactor);
  const statuses = runner.statuses();
  await runner.stop();
  if (options.json) {
    process.stdout.write(`${jsonText({ outputs: statuses.map((status) => ({ ...status, state: status.state ?? null, error: status.error ?? null })) })}\n`);
  } else {
    for (const status of statuses) {
      process.stdout.write(`${terminalText(status.id)}  ${terminalText(status.plugin)}  ${terminalText(describeStatus(status))}\n`);
    }
  }
  const troubled = statuses.some((status) => !status.state || status.state.status === 'failing' || status.state.status === 'disabled');
  return troubled ? EXIT.partial : EXIT.ok;
}

async function testOutput(loaded: LoadedConfig, id: string | undefined, log: Session['log'], redactor: Session['redactor'], options: OutputsCommandOptions): Promise<ExitCode> {
  const ids = loaded.config.outputs.map((output) => output.id);
  if (id === undefined || !ids.includes(id)) {
    throw new DashError('USAGE', id === undefined ? 'which output? dash-cli outputs test <id>' : `no output "${id}" in ${loaded.config.file ?? 'the config'}`, {
      hint: ids.length > 0 ? `the outputs are: ${ids.join(', ')}` : 'the config has no [[outputs]] (see the README, "Outputs")',
    });
  }
  const runner = await inspectOutputs(loaded, log, redactor, id);
  try {
    const output = runner.output(id);
    const status = runner.statuses()[0]!;
    if (!output) throw new DashError('BACKEND_FAILED', `output "${id}" cannot start: ${status.error?.message ?? 'unknown'}`);
    if (!output.test) throw new DashError('USAGE', `the ${status.plugin} output "${id}" has no test delivery`);
    const result = await output.test(AbortSignal.timeout(TEST_TIMEOUT_MS));
    const line = `${id}: ${result.ok ? 'ok' : 'failed'}: ${redactor.redact(result.message)}`;
    if (options.json) process.stdout.write(`${jsonText({ id, ok: result.ok, message: redactor.redact(result.message) })}\n`);
    else process.stdout.write(`${terminalText(line)}\n`);
    return result.ok ? EXIT.ok : EXIT.partial;
  } finally {
    await runner.stop();
  }
}
