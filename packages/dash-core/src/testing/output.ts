import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DashEvent } from '../events/types.js';
import { createLogger } from '../logger.js';
import type { TimeEntry } from '../model.js';
import type { Output, OutputContext, OutputPlugin } from '../output.js';
import { Redactor } from '../redact.js';
import { FakeClock } from './context.js';
import { issuePath } from './options.js';

export interface OutputTestContextOptions {
  id?: string;
  instance?: string;
  clock?: FakeClock;
  /** Default: a fresh temp folder (the durable state of one test). */
  dataDir?: string;
  configDir?: string;
  /** Create the output as `dash-cli outputs` does: to look at, not to run. */
  passive?: boolean;
}

export interface OutputTestContext {
  context: OutputContext;
  clock: FakeClock;
  /** Every line the output logged (debug included), secrets masked. */
  logs: string[];
  redactor: Redactor;
  /** Aborts `context.signal`, as the host does when it stops. */
  stop(): void;
}

/** An OutputContext for one output: a temp dataDir (created), a fake clock, captured logs. */
export function createOutputTestContext(options: OutputTestContextOptions = {}): OutputTestContext {
  const id = options.id ?? 'test';
  const clock = options.clock ?? new FakeClock();
  const logs: string[] = [];
  const redactor = new Redactor();
  const controller = new AbortController();
  const dataDir = options.dataDir ?? join(mkdtempSync(join(tmpdir(), 'dash-output-test-')), 'outputs', id);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const context: OutputContext = {
    id,
    instance: options.instance ?? 'test-instance',
    log: createLogger({ level: 'debug', redactor, write: (line) => logs.push(line) }).child(`output ${id}`),
    now: clock.now,
    configDir: options.configDir ?? process.cwd(),
    dataDir,
    secret: (value) => void redactor.add(value),
    signal: controller.signal,
    ...(options.passive ? { passive: true } : {}),
  };
  return { context, clock, logs, redactor, stop: () => controller.abort() };
}

export interface RunOutputOptions extends OutputTestContextOptions {
  /** Handed to `event`, in order. */
  events?: readonly DashEvent[];
  /** Handed to `entries` once, after the events (the backfill). */
  entries?: readonly TimeEntry[];
  /** Leave the output running (call `dispose` yourself); default: disposed before returning. */
  keep?: boolean;
}

/**
 * Validates `input` with the output's schema, creates it on a test context and hands it the
 * events and entries as the host would (each call awaited), then disposes of it. Throws with the
 * schema's issues when the options are invalid.
 */
export async function runOutputPlugin<Options>(
  plugin: OutputPlugin<Options>,
  input: unknown,
  options: RunOutputOptions = {},
): Promise<OutputTestContext & { output: Output }> {
  const validated = await plugin.optionsSchema['~standard'].validate(input);
  if (validated.issues) {
    throw new Error(`invalid options for ${plugin.name}: ${validated.issues.map((issue) => `${issuePath(issue.path) || '(options)'}: ${issue.message}`).join('; ')}`);
  }
  const test = createOutputTestContext(options);
  for (const key of plugin.secretOptions ?? []) {
    const value = (validated.value as Record<string, unknown>)[key];
    if (typeof value === 'string') test.redactor.add(value);
  }
  const output = await plugin.createOutput(validated.value, test.context);
  for (const event of options.events ?? []) await output.event?.(event);
  if (options.entries) await output.entries?.(options.entries);
  if (!options.keep) {
    test.stop();
    await output.dispose?.();
  }
  return { ...test, output };
}
