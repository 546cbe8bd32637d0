import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from './support/programs.js';
import { describeWith, PROMETHEUS, PROMTOOL } from './support/tools.js';
import { fetchText, fileClockConfig, serveDir, startServe, writeState, type Served } from './support/serve.js';

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
// Two finished entries earlier on the day serve's clock starts (--at, a Wednesday afternoon, so
// the data never depends on when the suite runs): nothing runs, so the numbers hold still while
// Prometheus scrapes.
const AT = '2026-11-18T15:00:00Z';
const dayStart = Date.parse('2026-11-18T00:00:00Z');
const ENTRIES = [
  { id: 'a', start: iso(dayStart + 9 * 3600_000), end: iso(dayStart + 10.5 * 3600_000), project: { key: 'acme', name: 'Acme "web"\\site', client: 'Acme' }, billable: true },
  { id: 'b', start: iso(dayStart + 11 * 3600_000), end: iso(dayStart + 11 * 3600_000 + 25 * 60_000), project: { key: 'oss', name: 'Open source' } },
];

interface Snapshot {
  week: { totalSeconds: number; billableSeconds: number; projects: { name: string; seconds: number }[] };
  days: { date: string; totalSeconds: number }[];
  today: string;
}

describeWith([PROMETHEUS, PROMTOOL], 'dash-cli serve: /metrics scraped by a real Prometheus', () => {
  const home = serveDir();
  const { config, state } = fileClockConfig(home.dir);
  let served: Served;
  let prometheus: ReturnType<typeof spawn> | undefined;
  let promBase = '';

  beforeAll(async () => {
    writeState(state, { entries: ENTRIES, running: null });
    served = await startServe(['--config', config, '--at', AT], { env: home.env, cwd: home.dir });
    const port = await freePort();
    promBase = `http://127.0.0.1:${port}`;
    const file = join(home.dir, 'prometheus.yml');
    writeFileSync(
      file,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: dash',
        '    scrape_interval: 1s',
        '    authorization:',
        '      type: Bearer',
        `      credentials: ${JSON.stringify(served.token)}`,
        '    static_configs:',
        `      - targets: [${JSON.stringify(new URL(served.base).host)}]`,
        '',
      ].join('\n'),
    );
    prometheus = spawn('prometheus', [`--config.file=${file}`, `--storage.tsdb.path=${join(home.dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  });
  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await served?.stop();
    home.cleanup();
  });

  async function query(expression: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const reply = await fetchText(`${promBase}/api/v1/query?query=${encodeURIComponent(expression)}`).catch(() => undefined);
      if (reply?.status === 200) {
        const result = (JSON.parse(reply.body) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
        if (result.length > 0) return result;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Prometheus never had ${expression}`);
  }

  it('Prometheus scrapes with the bearer token and holds the snapshot\'s numbers; promtool passes the exposition', async () => {
    const snapshot = JSON.parse((await fetchText(`${served.base}/api/v1/snapshot`, { headers: { authorization: `Bearer ${served.token}` } })).body) as Snapshot;
    expect(await query('up{job="dash"} == 1')).toHaveLength(1);
    expect(Number((await query('dash_week_tracked_seconds'))[0]!.value[1])).toBe(snapshot.week.totalSeconds);
    expect(Number((await query('dash_week_billable_seconds'))[0]!.value[1])).toBe(snapshot.week.billableSeconds);
    const day = snapshot.days.find((item) => item.date === snapshot.today)!;
    expect(Number((await query('dash_today_tracked_seconds'))[0]!.value[1])).toBe(day.totalSeconds);
    const projects = await query('dash_week_project_tracked_seconds');
    expect(Object.fromEntries(projects.map((sample) => [sample.metric.project, Number(sample.value[1])]))).toEqual(
      Object.fromEntries(snapshot.week.projects.map((project) => [project.name, project.seconds])),
    );
    expect(Number((await query('dash_goal_seconds{goal="weekly"}'))[0]!.value[1])).toBe(40 * 3600);

    const text = (await fetchText(`${served.base}/metrics`, { headers: { authorization: `Bearer ${served.token}` } })).body;
    expect(text).toContain('project="Acme \\"web\\"\\\\site"');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
  });
});
