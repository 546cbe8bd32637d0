/**
 * `snapshot --json` layout: one compact line when stdout is a pipe (a status bar, jq, a script
 * parses it every few seconds), indented on a terminal, `--pretty` to indent anywhere; the same
 * document either way. Run `npm run build` first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { Tmux } from './support/tmux.js';
import { itWith, TMUX } from './support/tools.js';

const AT = '2026-11-20T15:30:00Z';
const ARGS = ['snapshot', '--json', '--demo', '--at', AT];

describe('snapshot --json layout', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dash-json-layout-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is one compact line on a pipe, and --pretty indents the same document', async () => {
    const piped = await runCli(ARGS);
    expect(piped.code).toBe(0);
    expect(piped.stdout.endsWith('}\n')).toBe(true);
    expect(piped.stdout.slice(0, -1)).not.toContain('\n');
    expect(piped.stdout.startsWith('{"schemaVersion":1,')).toBe(true);

    const pretty = await runCli([...ARGS, '--pretty']);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
    const withoutSyncTime = (text: string) => {
      const document = JSON.parse(text) as { sources: { lastSyncAt: unknown }[] };
      for (const source of document.sources) source.lastSyncAt = null;
      return document;
    };
    expect(withoutSyncTime(pretty.stdout)).toEqual(withoutSyncTime(piped.stdout));
  });

  itWith([TMUX], 'is indented on a terminal', async () => {
    const env = isolatedEnv(dir);
    const tmux = Tmux.start({ width: 100, height: 30, env, command: `node ${CLI} ${ARGS.join(' ')}` });
    try {
      const screen = await tmux.waitFor((text) => text.includes('"sources"') && tmux.pane('pane_dead') === '1', { timeoutMs: 20_000 });
      // The screen holds the document's end: the sources, indented by two spaces a level.
      expect(screen).toMatch(/^ {2}"sources": \[$/m);
      expect(screen).toMatch(/^ {6}"id": "demo",$/m);
    } finally {
      tmux.kill();
    }
  }, 30_000);
});
