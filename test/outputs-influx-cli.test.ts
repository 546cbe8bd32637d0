/**
 * The InfluxDB output as a user meets it: an `[[outputs]]` table in the TOML, a long-running Dash
 * (`status --follow`, the lightest host), a real InfluxDB 1.6 on 127.0.0.1, and the points there
 * once Dash has synced. Then `dash-cli outputs` says how it is doing.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, FIXTURES, runCli } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { influxDatabase, influxQuery, INFLUXD, tempDir, waitFor, type Database } from './support/influx.js';
import { describeWith } from './support/tools.js';

describeWith([INFLUXD], 'an [[outputs]] influxdb table, end to end', () => {
  const home = tempDir('dash-influx-cli-');
  let db: Database;

  beforeAll(async () => {
    db = await influxDatabase(home.dir);
    await db.start();
    await influxQuery(db.url, 'dash', 'CREATE DATABASE dash');
  }, 60_000);

  afterAll(async () => {
    await db.stop();
    home.cleanup();
  });

  it('status --follow writes each finished entry once, tagged with the instance; dash-cli outputs says it is fine', async () => {
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const at = (offsetMinutes: number) => new Date(hour + offsetMinutes * 60_000).toISOString();
    const entry = (id: string, start: string, end: string, name: string) => ({ id, start, end, description: `${name} work`, billable: true, tags: [], project: { key: id, name, client: null, color: null } });
    const clock = join(home.dir, 'clock.json');
    writeFileSync(clock, JSON.stringify({ entries: [entry('a', at(-180), at(-120), 'Acme'), entry('b', at(-90), at(-60), 'Globex')], running: null }));
    const config = join(home.dir, 'dash.toml');
    writeFileSync(
      config,
      [
        'timezone = "UTC"',
        '[[backends]]',
        `plugin = ${JSON.stringify(join(FIXTURES, 'plugins', 'file-clock-plugin.mjs'))}`,
        'id = "clock"',
        `file = ${JSON.stringify(clock)}`,
        '',
        '[[outputs]]',
        'plugin = "influxdb"',
        `url = "${db.url}"`,
        'database = "dash"',
        'instance = "laptop"',
        '',
      ].join('\n'),
    );
    const env = isolatedEnv(home.dir);
    const follower = spawn(process.execPath, [CLI, 'status', '--follow', '--config', config], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => follower.on('exit', resolve));
    let stderr = '';
    follower.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    try {
      const points = await waitFor('the two entries in InfluxDB', async () => {
        const series = await influxQuery(db.url, 'dash', "SELECT sum(seconds), count(seconds) FROM dash_entry WHERE deleted = false AND instance = 'laptop'");
        const [, seconds, count] = series[0]?.values[0] ?? [];
        // InfluxDB can answer a count before the sum over the same points is readable: wait for both.
        return count === 2 && typeof seconds === 'number' ? { seconds, count } : undefined;
      });
      expect(points).toEqual({ seconds: 3600 + 1800, count: 2 });
      const projects = await influxQuery(db.url, 'dash', 'SELECT sum(seconds) FROM dash_entry WHERE deleted = false GROUP BY project');
      expect(Object.fromEntries(projects.map((series) => [series.tags!.project, series.values[0]![1]]))).toEqual({ Acme: 3600, Globex: 1800 });
      const listed = await runCli(['outputs', '--json', '--config', config], { env });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('"influxdb"');
      expect(stderr).toBe('');
    } finally {
      follower.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
