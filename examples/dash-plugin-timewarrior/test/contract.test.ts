import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { testBackendPlugin } from 'dash-core/testing';
import plugin from '../src/index.js';

/** A Timewarrior database as `timew` writes it: a week in November 2026, and a running interval. */
function database(lines: string[]): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dash-timew-contract-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', '2026-11.data'), `${lines.join('\n')}\n`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

testBackendPlugin(plugin, {
  describe,
  it,
  validOptions: [
    {},
    { database: '/var/lib/timew', default_project: 'none' },
    { projects: { acme: 'Acme website', globex: { name: 'Globex API', client: 'Globex', color: '#e36a00', billable: true } }, billable_tags: ['billable'] },
  ],
  invalidOptions: [
    { options: { default_project: 'last-tag' }, path: 'default_project' },
    { options: { projects: { acme: { name: 'Acme', color: 'orange' } } }, path: 'projects.acme.color', message: 'hex color' },
    { options: { databse: '/tmp' } },
    { options: { billable_tags: 'billable' }, path: 'billable_tags' },
  ],
  sync: {
    now: '2026-11-20T12:00:00Z',
    minEntries: 3,
    setup() {
      const db = database([
        'inc 20261116T080000Z - 20261116T120000Z # acme billable',
        'inc 20261117T090000Z - 20261117T093000Z # # "call with accountant"',
        'inc 20261120T081500Z - 20261120T093000Z # acme "tag 2"',
        'inc 20261120T110000Z # globex',
      ]);
      return { options: { database: db.dir, billable_tags: ['billable'] }, teardown: db.remove };
    },
    check({ entries }) {
      const running = entries.filter((entry) => entry.end === null);
      if (running.length !== 1 || running[0]!.project?.key !== 'globex') throw new Error(`expected globex running, got ${JSON.stringify(running)}`);
    },
  },
});
