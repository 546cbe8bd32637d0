/**
 * Programs some end-to-end tests drive: tmux (the dashboard in a real terminal), Timewarrior's
 * `timew`, jq, Prometheus and Chromium (serve). On a machine without one, those tests are skipped and their title says what to
 * install; with DASH_REQUIRE_TOOLS=1 (set by .ci/run, which installs them) a missing program
 * fails instead, so CI always runs every test.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

export interface Tool {
  program: string;
  /** The Debian package that provides it. */
  aptPackage: string;
}

export const TMUX: Tool = { program: 'tmux', aptPackage: 'tmux' };
export const TIMEWARRIOR: Tool = { program: 'timew', aptPackage: 'timewarrior' };
export const JQ: Tool = { program: 'jq', aptPackage: 'jq' };
export const PROMETHEUS: Tool = { program: 'prometheus', aptPackage: 'prometheus' };
export const PROMTOOL: Tool = { program: 'promtool', aptPackage: 'prometheus' };
export const CURL: Tool = { program: 'curl', aptPackage: 'curl' };
export const CHROMIUM: Tool = { program: 'chromium', aptPackage: 'chromium' };

const found = new Map<string, boolean>();
function installed(tool: Tool): boolean {
  let ok = found.get(tool.program);
  if (ok === undefined) {
    // Looked up on PATH as the shell would, without running it (`timew` would create a database).
    ok = (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, tool.program)));
    found.set(tool.program, ok);
  }
  return ok;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why tests needing `tools` cannot run here ("needs tmux: apt-get install tmux"), or undefined. */
export function missingTools(tools: Tool[]): string | undefined {
  const missing = tools.filter((tool) => !installed(tool));
  if (missing.length === 0) return undefined;
  return `needs ${missing.map((tool) => tool.program).join(' and ')}: apt-get install ${missing.map((tool) => tool.aptPackage).join(' ')}`;
}

const required = () => process.env.DASH_REQUIRE_TOOLS === '1';

/** `describe` for a block whose tests all need `tools`. */
export function describeWith(tools: Tool[], title: string, body: () => void): void {
  const reason = missingTools(tools);
  if (!reason) describe(title, body);
  else if (required()) describe(title, () => it(`has its programs (DASH_REQUIRE_TOOLS=1)`, () => failMissing(reason)));
  else skip(reason, () => describe.skip(`${title} [skipped: ${reason}]`, body));
}

/** `it` for one test that needs `tools`. */
export function itWith(tools: Tool[], title: string, body: () => unknown, timeout?: number): void {
  const reason = missingTools(tools);
  if (!reason) it(title, body, timeout);
  else if (required()) it(title, () => failMissing(reason));
  else skip(reason, () => it.skip(`${title} [skipped: ${reason}]`, body));
}

/** Skips, and says why once per file on stderr (the default reporter shows no skipped titles). */
const told = new Set<string>();
function skip(reason: string, register: () => void): void {
  if (!told.has(reason)) console.warn(`skipping tests: ${reason}`);
  told.add(reason);
  register();
}

function failMissing(reason: string): never {
  throw new Error(`DASH_REQUIRE_TOOLS=1 and this test ${reason}`);
}
