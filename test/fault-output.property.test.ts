/**
 * Hostile backend data through the real CLI (issue 10): a local plugin feeds whatever fast-check
 * makes (any strings: control characters, bidi marks, emoji, lone surrogates, 10 kB; extreme,
 * inverted and invalid dates; huge numbers; duplicate ids; wrong types) and
 * - `snapshot --json` always prints one JSON document that keeps its invariants (days sum to the
 *   week, projects sum to the totals, whole non-negative seconds) and escapes every control
 *   character, while the strings in it are the backend's, exactly;
 * - the human summary and a rendered dashboard frame never contain a control character.
 * Bounded: RUNS runs, two CLI processes each (18 in all), 20–80 entries a run. The run's seed is printed
 * (test/support/fc-seed.ts); FC_SEED=<n> replays it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Snapshot } from 'dash-core/host';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDashboard } from '../packages/dash-cli/src/watch/render.js';
import { runCli } from './support/cli.js';
import './support/fc-seed.js';
import { writeFeed, writeHostilePlugin } from './support/hostile-plugin.js';

const RUNS = 9;
const AT = '2026-11-18T15:00:00Z';
/** What a terminal acts on (LF aside, where a line ends on purpose). */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const nasty = fc.constantFrom(
  '\u001b[2J\u001b[H',
  '\u001b]0;owned\u0007',
  '\r',
  '\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u007f',
  '\u009b31m',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u061c',
  '\u2028',
  '\ud83d',
  '\ude00',
  '👩‍💻',
  '漢字',
  'toggl',
  '***',
  '"},{',
);
const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 6 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(nasty, fc.integer({ min: 9_000, max: 10_240 })).map(([seed, length]) => seed.repeat(Math.ceil(length / seed.length)).slice(0, length)) },
);

const WEEK_FROM = Date.parse('2026-11-14T00:00:00Z');
const WEEK_TO = Date.parse('2026-11-24T00:00:00Z');
const instant = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: WEEK_FROM / 1000, max: WEEK_TO / 1000 }).map((s) => new Date(s * 1000).toISOString()) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '+275760-09-13T00:00:00.000Z',
      '-271821-04-20T00:00:00.000Z',
      '1970-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2026-11-18T15:00:00.999999Z',
      '2026-02-30T10:00:00Z',
      'not a date',
      '',
    ),
  },
);
const huge = fc.constantFrom(Number.MAX_SAFE_INTEGER, 1e308, -1e308, Number.MAX_VALUE, -0, 2 ** 53 + 1);
const id = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 1_000_000 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('dup', '1', '1e308', String(Number.MAX_SAFE_INTEGER)) },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: huge },
);
const project = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 4,
    arbitrary: fc.record({
      key: fc.oneof(fc.constantFrom('a', 'b', 'dup'), hostileString),
      name: hostileString,
      client: fc.oneof(fc.constant(null), hostileString),
      color: fc.oneof(fc.constant(null), fc.constantFrom('#ff8800', '#000', 'red', '\u001b[31m')),
    }),
  },
);
const entry = fc
  .record({
    id,
    start: instant,
    // Usually after the start (up to 30 h, crossing midnights), sometimes inverted, open or garbage.
    length: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 30 * 3600 }) }, { weight: 1, arbitrary: fc.integer({ min: -86_400, max: -1 }) }),
    open: fc.boolean(),
    weird: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.oneof(huge, instant, fc.constant(null)) }),
    project,
    description: hostileString,
    billable: fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant('yes') }),
    tags: fc.array(hostileString, { maxLength: 3 }),
  })
  .map(({ id: entryId, start, length, open, weird, project: entryProject, description, billable, tags }) => {
    const startMs = Date.parse(start);
    const end = weird !== undefined ? weird : open || Number.isNaN(startMs) ? null : new Date(Math.max(-8.64e15, Math.min(8.64e15, startMs + length * 1000))).toISOString();
    return { id: entryId, start, end, project: entryProject, description, billable, tags };
  });
const feed = fc.record({
  entries: fc.array(entry, { minLength: 20, maxLength: 80 }),
  running: fc.option(entry.map((item) => ({ ...item, end: null })), { nil: undefined }),
  error: fc.option(fc.record({ code: fc.constantFrom('NETWORK', 'BAD_RESPONSE', '\u001b[2JCODE'), message: hostileString }), { nil: undefined }),
});

function checkInvariants(snapshot: Snapshot): void {
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const whole = (value: number) => expect(Number.isSafeInteger(value) && value >= 0, `${value} is whole seconds`).toBe(true);
  expect(snapshot.days).toHaveLength(7);
  expect(sum(snapshot.days.map((day) => day.totalSeconds))).toBe(snapshot.week.totalSeconds);
  expect(sum(snapshot.days.map((day) => day.billableSeconds))).toBe(snapshot.week.billableSeconds);
  expect(sum(snapshot.week.projects.map((item) => item.seconds))).toBe(snapshot.week.totalSeconds);
  expect(sum(snapshot.week.projects.map((item) => item.billableSeconds))).toBe(snapshot.week.billableSeconds);
  for (const day of snapshot.days) {
    whole(day.totalSeconds);
    whole(day.billableSeconds);
    expect(day.billableSeconds).toBeLessThanOrEqual(day.totalSeconds);
    expect(sum(day.projects.map((item) => item.seconds))).toBe(day.totalSeconds);
    expect(sum(day.projects.map((item) => item.billableSeconds))).toBe(day.billableSeconds);
    // The minute grid never holds more minutes than there are.
    expect(day.hours.every((hour) => hour.minutes.length === 60)).toBe(true);
  }
  for (const running of snapshot.clockedIn) whole(running.elapsedSeconds);
}

/** Every string a snapshot holds that came from the backend, to compare raw against the feed. */
function backendStrings(snapshot: Snapshot): string[] {
  return [
    ...snapshot.week.projects.flatMap((item) => [item.name, item.client ?? '']),
    ...snapshot.clockedIn.flatMap((item) => [item.description, item.project?.name ?? '', ...(item.tags ?? [])]),
  ];
}

describe('hostile backend data through the real CLI', () => {
  it(`snapshot --json parses and keeps its invariants; the summary and a dashboard frame hold no control character (${RUNS} runs)`, async () => {
    let entriesFed = 0;
    let entriesShown = 0;
    await fc.assert(
      fc.asyncProperty(feed, async (data) => {
        const dir = mkdtempSync(join(tmpdir(), 'dash-hostile-'));
        dirs.push(dir);
        const plugin = writeHostilePlugin(dir);
        const feedFile = writeFeed(dir, data);
        const config = join(dir, 'dash.toml');
        writeFileSync(config, `timezone = "Europe/Berlin"\n[goals]\ndaily = 8\n\n[[backends]]\nplugin = "${plugin}"\nid = "hostile"\ndata = "${feedFile}"\n`);
        const json = await runCli(['snapshot', '--json', '--at', AT, '--config', config]);
        expect([0, 3], json.stderr).toContain(json.code);
        expect(json.stdout + json.stderr).not.toMatch(CONTROL);
        // A hostile backend cannot blow a week up (a 10 kB project key repeated in 10,080 minutes was 100 MB).
        expect(json.stdout.length).toBeLessThan(16_000_000);
        const snapshot = JSON.parse(json.stdout) as Snapshot;
        checkInvariants(snapshot);
        // Raw, exactly as fed: nothing masked, replaced or cut.
        const fed = new Set(JSON.parse(JSON.stringify(data)).entries.concat(data.running ?? []).flatMap((item: { description: unknown; tags: unknown; project: { name: unknown; client: unknown } | null }) => [item.description, item.project?.name, item.project?.client, ...(Array.isArray(item.tags) ? item.tags : [])]));
        for (const text of backendStrings(snapshot)) if (text !== '' && text !== '(no project)') expect(fed.has(text), JSON.stringify(text)).toBe(true);
        entriesFed += data.entries.length;
        entriesShown += snapshot.week.projects.length;

        const summary = await runCli(['snapshot', '--at', AT, '--config', config]);
        expect([0, 3], summary.stderr).toContain(summary.code);
        expect(summary.stdout + summary.stderr).not.toMatch(CONTROL);

        for (const [width, height] of [[120, 40], [70, 24]] as const) {
          const frame = renderDashboard({ snapshot, now: new Date(AT), selectedDay: 2, weekOffset: 0, help: false, mono: false, notice: null }, width, height);
          const text = frame.canvas.text();
          expect(text).not.toMatch(CONTROL);
          expect(frame.canvas.rows.every((row) => row.length === width)).toBe(true);
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    console.log(`fed ${entriesFed} entries in ${RUNS} runs; ${entriesShown} project rows shown`);
  }, 180_000);
});
