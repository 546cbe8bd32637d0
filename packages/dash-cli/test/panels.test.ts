/**
 * The dashboard's panels on fixed-size canvases (text and colours): goal pace, the day's entries
 * (overlaps between sources, untracked gaps, wide project names aligned), the 12-week trend,
 * where each is placed at 80×24, 120×40 and 200×60, the header's real "until", and monochrome.
 */
import { type EntryInput } from 'dash-core';
import { buildSnapshot, Store } from 'dash-core/host';
import { describe, expect, it } from 'vitest';
import { Canvas } from '../src/watch/canvas.js';
import { dayItems, drawEntriesPanel } from '../src/watch/entries-panel.js';
import { entriesOf, type TrendWeek } from '../src/watch/history.js';
import { drawPacePanel, paceText } from '../src/watch/pace-panel.js';
import { createPainter, THEME } from '../src/watch/palette.js';
import { PANELS, placePanels } from '../src/watch/panels.js';
import { KEY_HELP, renderDashboard } from '../src/watch/render.js';
import { drawTrendPanel } from '../src/watch/trend-panel.js';
import type { DashView } from '../src/watch/view.js';
import { ACME, GLOBEX, knownStore, NOW, snapshotOf, TZ } from './fixtures.js';

const secondsOf = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const rowOf = (canvas: Canvas, text: string) => canvas.rows.findIndex((_, y) => canvas.line(y).includes(text));
/** The column (cell index) where `text` starts in a row, counting a wide character as two cells. */
function columnOf(canvas: Canvas, y: number, text: string): number {
  const cells = canvas.rows[y]!;
  for (let x = 0; x < cells.length; x++) {
    let match = '';
    for (let k = x; k < cells.length && match.length < text.length; k++) match += cells[k]!.ch;
    if (match.startsWith(text)) return x;
  }
  return -1;
}

function view(store: Store, over: Partial<DashView> = {}): DashView {
  const snapshot = snapshotOf(store);
  const week = snapshot.days.map((day) => day.date);
  void week;
  return {
    snapshot,
    now: NOW,
    selectedDay: 4,
    weekOffset: 0,
    help: false,
    mono: false,
    notice: null,
    entries: entriesOf(store, secondsOf('2026-11-15T23:00:00Z'), secondsOf('2026-11-22T23:00:00Z'), Math.floor(NOW.getTime() / 1000)),
    trend: [],
    panel: null,
    ...over,
  };
}

describe('pace panel', () => {
  it('today and the week: worked against expected, behind in yellow, the reached-at forecast while clocked in', () => {
    // Fri 20 Nov 16:30 Berlin: today 30 min (running), 7.5 h of the 8 h window gone → 7h 30m expected.
    const snapshot = snapshotOf(knownStore());
    const canvas = new Canvas(120, 3);
    drawPacePanel(canvas, 0, 0, 120, 3, snapshot, 4, createPainter(snapshot.week.projects, { mono: false }));
    expect(canvas.line(0)).toContain('Pace · expected by now, 09–17 on workdays');
    const today = canvas.line(1);
    expect(today).toContain('Today');
    expect(today).toContain('30m · behind 7h 00m (by now 7h 30m)');
    // 7h 30m missing from 16:30 local: reached at midnight exactly, the last instant of the day.
    expect(today).toContain('goal at Sat 21 Nov 00:00 at this rate');
    const week = canvas.line(2);
    expect(week).toContain('Week');
    expect(week).toContain('6h 05m · behind 33h 25m (by now 39h 30m)');
    const behind = columnOf(canvas, 1, 'behind');
    expect(canvas.cell(behind, 1)).toMatchObject({ fg: THEME.warn, bold: true });
  });

  it('ahead in green with "goal at HH:MM at this rate"; met goals say when', () => {
    const store = new Store();
    const a = store.addSource('toggl', 'dash-plugin-toggl');
    a.upsert([{ id: '1', start: '2026-11-20T07:00:00Z', end: '2026-11-20T13:00:00Z', project: ACME }]);
    a.setRunning({ id: 'run', start: '2026-11-20T13:00:00Z', end: null, project: GLOBEX });
    const at = new Date('2026-11-20T14:00:00Z'); // 15:00 Berlin: 7 h worked, 6 h expected.
    const snapshot = snapshotOf(store, at);
    expect(paceText(snapshot.days[4]!.pace!)).toBe('ahead 1h 00m');
    const canvas = new Canvas(120, 3);
    drawPacePanel(canvas, 0, 0, 120, 3, snapshot, 4, createPainter(snapshot.week.projects, { mono: false }));
    expect(canvas.line(1)).toContain('7h 00m · ahead 1h 00m (by now 6h 00m) · goal at 16:00 at this rate');
    expect(canvas.cell(columnOf(canvas, 1, 'ahead'), 1)).toMatchObject({ fg: THEME.ok });
    const later = snapshotOf(store, new Date('2026-11-20T16:00:00Z'));
    const again = new Canvas(120, 3);
    drawPacePanel(again, 0, 0, 120, 3, later, 4, createPainter(later.week.projects, { mono: false }));
    expect(again.line(1)).toContain('goal met 16:00');
  });
});

describe('entries panel', () => {
  function overlapping(): Store {
    const store = new Store();
    store.addSource('toggl', 'dash-plugin-toggl').upsert([
      { id: 't1', start: '2026-11-20T08:00:00Z', end: '2026-11-20T10:00:00Z', project: { key: 'cjk', name: '漢字プロジェクト' }, description: 'レビュー' },
      { id: 't2', start: '2026-11-20T12:00:00Z', end: '2026-11-20T13:00:00Z', project: { key: 'emoji', name: '🚀 Launch 👩‍💻' }, description: 'launch prep' },
    ]);
    store.addSource('upwork', 'dash-plugin-upwork').upsert([
      { id: 'u1', start: '2026-11-20T09:30:00Z', end: '2026-11-20T11:00:00Z', project: { key: 'contract', name: 'Contract' }, description: 'work diary' } satisfies EntryInput,
    ]);
    return store;
  }

  it('lists start–end, duration, project, description and source; marks overlaps between sources and untracked gaps in 09–17', () => {
    const store = overlapping();
    const v = view(store, { now: new Date('2026-11-20T15:00:00Z'), snapshot: snapshotOf(store, new Date('2026-11-20T15:00:00Z')) });
    const items = dayItems(v.snapshot.days[4]!, v.entries!, secondsOf('2026-11-20T15:00:00Z'));
    // Berlin: 09:00–11:00 toggl, 10:30–12:00 upwork, 13:00–14:00 toggl; window 09:00–16:00 (now).
    expect(items.map((item) => (item.kind === 'gap' ? `gap ${item.end - item.start}` : `${item.entry.id} ${item.overlapsWith.join(',')}`))).toEqual(['t1 upwork', 'u1 toggl', 'gap 3600', 't2 ', 'gap 7200']);
    const canvas = new Canvas(110, 8);
    drawEntriesPanel(canvas, 0, 0, 110, 8, v.snapshot.days[4]!, v.entries, { painter: createPainter(v.snapshot.week.projects, { mono: false }), timeZone: TZ, nowSeconds: secondsOf('2026-11-20T15:00:00Z') });
    expect(canvas.line(0)).toContain('Entries · 3 entries, 2 untracked gaps 09–17');
    expect(canvas.text()).toContain('09:00–11:00  2h 00m');
    expect(canvas.text()).toContain('12:00–13:00  1h 00m  ░ untracked');
    expect(canvas.text()).toContain('14:00–16:00  2h 00m  ░ untracked');
    const t1 = rowOf(canvas, '09:00–11:00');
    expect(canvas.line(t1)).toMatch(/⇄ upwork\s+toggl\s*$/);
    expect(canvas.cell(columnOf(canvas, t1, '⇄'), t1)).toMatchObject({ fg: THEME.warn, bold: true });
    expect(canvas.cell(columnOf(canvas, rowOf(canvas, '░ untracked'), '░'), rowOf(canvas, '░ untracked'))).toMatchObject({ fg: THEME.warn });
  });

  it('CJK and emoji project names keep the columns aligned (descriptions and sources start in the same column)', () => {
    const store = overlapping();
    const at = new Date('2026-11-20T15:00:00Z');
    const snapshot = snapshotOf(store, at);
    const canvas = new Canvas(110, 8);
    drawEntriesPanel(canvas, 0, 0, 110, 8, snapshot.days[4]!, view(store, { snapshot, now: at }).entries, { painter: createPainter(snapshot.week.projects, { mono: false }), timeZone: TZ, nowSeconds: secondsOf(at.toISOString()) });
    const cjk = rowOf(canvas, '09:00–11:00');
    const emoji = rowOf(canvas, '13:00–14:00');
    const plain = rowOf(canvas, '10:30–12:00');
    const descriptions = [columnOf(canvas, cjk, 'レビュー'), columnOf(canvas, emoji, 'launch prep'), columnOf(canvas, plain, 'work diary')];
    expect(new Set(descriptions).size).toBe(1);
    expect(descriptions[0]).toBeGreaterThan(0);
    expect(columnOf(canvas, cjk, 'toggl')).toBe(columnOf(canvas, emoji, 'toggl'));
  });

  it('a running entry ends "now" and is marked ▶', () => {
    const store = knownStore();
    const v = view(store);
    const canvas = new Canvas(100, 4);
    drawEntriesPanel(canvas, 0, 0, 100, 4, v.snapshot.days[4]!, v.entries, { painter: createPainter(v.snapshot.week.projects, { mono: false }), timeZone: TZ, nowSeconds: Math.floor(NOW.getTime() / 1000) });
    expect(canvas.text()).toMatch(/16:00–now +30m/);
    expect(canvas.text()).toContain('Pairing ▶');
  });
});

describe('trend panel', () => {
  const weeks: TrendWeek[] = [
    { start: '2026-11-02', totalSeconds: 40 * 3600, billableSeconds: 30 * 3600, goalSeconds: 40 * 3600 },
    { start: '2026-11-09', totalSeconds: 20 * 3600, billableSeconds: 20 * 3600, goalSeconds: 40 * 3600 },
    { start: '2026-11-16', totalSeconds: 10 * 3600, billableSeconds: 0, goalSeconds: 40 * 3600 },
  ];

  it('one bar per week scaled to the goal, billable first, goal marker, percent, the current week marked', () => {
    const canvas = new Canvas(62, 4);
    drawTrendPanel(canvas, 0, 0, 62, 4, weeks, { painter: createPainter([], { mono: false }), current: '2026-11-16' });
    // Bar: 62 − 8 label − 14 value − 1 = 39 cells for 40 h.
    expect(canvas.line(0)).toContain('Trend · 3 weeks · █ billable ▓ other ┃ goal 40h');
    expect(canvas.line(1)).toBe(` 2 Nov  ${'█'.repeat(29)}${'▓'.repeat(10)} 40h 00m 100%`.padEnd(62));
    expect(canvas.line(2)).toBe(` 9 Nov  ${'█'.repeat(20)}${'·'.repeat(18)}┃ 20h 00m 50%`.padEnd(62));
    expect(canvas.line(3).startsWith('▶16 Nov ')).toBe(true);
    expect(canvas.cell(8, 1)).toMatchObject({ fg: THEME.ok });
    expect(canvas.cell(8 + 29, 1)).toMatchObject({ fg: THEME.accent });
    expect(canvas.cell(8 + 38, 2)).toMatchObject({ ch: '┃', fg: THEME.goalMarker });
    expect(canvas.cell(8 + 39 + 1, 1)).toMatchObject({ fg: THEME.ok }); // goal met
  });

  it('shows the newest weeks that fit; monochrome uses glyphs, no colours', () => {
    const canvas = new Canvas(62, 3);
    drawTrendPanel(canvas, 0, 0, 62, 3, weeks, { painter: createPainter([], { mono: true }), current: '2026-11-16' });
    expect(canvas.line(1)).toContain('9 Nov');
    expect(canvas.line(2)).toContain('16 Nov');
    expect(canvas.line(0)).toContain('# billable = other');
    expect(canvas.rows.flat().every((cell) => cell.fg === null && cell.bg === null)).toBe(true);
  });
});

describe('layouts', () => {
  const trend: TrendWeek[] = Array.from({ length: 12 }, (_, index) => ({ start: `2026-${index < 4 ? '08' : '09'}-0${1 + (index % 4)}`, totalSeconds: 30 * 3600 + index * 3600, billableSeconds: 20 * 3600, goalSeconds: 40 * 3600 }));

  it.each([
    [80, 24, [] as string[], ['pace', 'entries', 'trend', 'log']],
    [120, 40, ['pace', 'entries'], ['trend', 'log']],
    [200, 60, ['pace', 'entries', 'trend', 'log'], []],
  ])('%i×%i shows %j and hides %j, whose keys the footer lists', (width, height, shown, hidden) => {
    const frame = renderDashboard(view(knownStore(), { trend }), width, height);
    expect(frame.panels).toEqual({ shown, hidden });
    const footer = frame.canvas.line(height - 1);
    for (const name of hidden) expect(footer).toContain(`${PANELS.find((panel) => panel.name === name)!.key} ${name}`);
    if (shown.includes('pace')) expect(frame.canvas.text()).toMatch(/Pace · (expected by now, )?09–17 on workdays/);
    if (shown.includes('entries')) expect(frame.canvas.text()).toContain('Entries · 1 entry');
    if (shown.includes('trend')) expect(frame.canvas.text()).toContain('Trend · 12 weeks');
    if (shown.includes('log')) expect(frame.canvas.text()).toContain('Log · syncs, clock in/out, goals');
  });

  it('the goal gauges (blessed-contrib) under the pace where it has the rows: today and the week, billable first, as the snapshot counts; none in monochrome', () => {
    const store = knownStore();
    for (const [width, height] of [[120, 40], [200, 60]] as const) {
      const frame = renderDashboard(view(store, { trend }), width, height);
      const gauges = frame.charts.filter((chart) => chart.kind === 'gauge');
      const { snapshot } = view(store);
      const today = snapshot.days.find((day) => day.date === snapshot.today)!;
      expect(gauges.map((gauge) => gauge.label)).toEqual([
        `Today · ${Math.floor((today.totalSeconds / today.goalSeconds!) * 100)}% of ${today.goalSeconds! / 3600}h`,
        `Week · ${Math.floor((snapshot.week.totalSeconds / snapshot.week.goalSeconds!) * 100)}% of ${snapshot.week.goalSeconds! / 3600}h`,
      ]);
      const [day, week] = gauges;
      expect(day!.segments.map((segment) => segment.share)).toEqual([today.billableSeconds / today.goalSeconds!, (today.totalSeconds - today.billableSeconds) / today.goalSeconds!]);
      expect(week!.segments[0]!.share).toBeCloseTo(snapshot.week.billableSeconds / snapshot.week.goalSeconds!, 12);
      expect(week!.segments[0]!.share + week!.segments[1]!.share).toBeCloseTo(snapshot.week.totalSeconds / snapshot.week.goalSeconds!, 12);
      // Under the pace text, side by side, inside the pace panel and clear of every other panel's text.
      const paceRow = rowOf(frame.canvas, 'Pace · ');
      expect(day!.rect.y).toBe(paceRow + 3);
      expect(week!.rect.y).toBe(day!.rect.y);
      expect(week!.rect.x).toBeGreaterThanOrEqual(day!.rect.x + day!.rect.width);
      for (const gauge of gauges) for (let y = gauge.rect.y; y < gauge.rect.y + gauge.rect.height; y++) {
        expect(frame.canvas.line(y).slice(gauge.rect.x, gauge.rect.x + gauge.rect.width).trim()).toBe('');
      }
      expect(frame.canvas.line(paceRow).slice(day!.rect.x, week!.rect.x + week!.rect.width).trim()).toMatch(/^Pace · (expected by now, )?09–17 on workdays · █ billable █ other$/);
    }
    expect(renderDashboard(view(store, { trend, mono: true }), 200, 60).charts).toEqual([]);
    expect(renderDashboard(view(store, { trend, help: true }), 200, 60).charts).toEqual([]);
    // 80×24: no room; the full-size pace (p) has them.
    expect(renderDashboard(view(store, { trend }), 80, 24).charts).toEqual([]);
    expect(renderDashboard(view(store, { trend, panel: 'pace' }), 80, 24).charts.map((chart) => chart.kind)).toEqual(['gauge', 'gauge']);
  });

  it('200×60: the trend beside Sunday with all twelve weeks, the log beside it (blessed-contrib, the newest lines); pace and entries side by side below', () => {
    const log = { lines: [{ time: '16:20', text: 'fake ok', tone: 'ok' as const }, { time: '16:21', text: 'a {red-fg}brace{/red-fg} and a line far too long to fit in the forty columns of the log', tone: 'error' as const }], total: 7 };
    const frame = renderDashboard(view(knownStore(), { trend, log }), 200, 60);
    const logRow = rowOf(frame.canvas, 'Log · syncs');
    expect(logRow).toBe(rowOf(frame.canvas, 'Trend · 12 weeks'));
    const [chart] = frame.charts.filter((item) => item.kind === 'log');
    expect(chart!.rect.y).toBe(logRow + 1);
    expect(chart!.rect.x).toBe(frame.canvas.line(logRow).indexOf('Log · syncs'));
    expect(chart!.rect.x + chart!.rect.width).toBeLessThanOrEqual(199);
    if (chart!.kind !== 'log') throw new Error('not a log');
    expect(chart!.total).toBe(7);
    expect(chart!.lines[0]).toMatch(/^\{#[0-9a-f]{6}-fg\}16:20\{\/\}\{green-fg\} fake ok\{\/\}$/);
    // Braces from the text are escaped (not blessed's tags); a long line is cut to the log's width.
    expect(chart!.lines[1]).toContain('a {open}red-fg{close}brace{open}/red-fg{close} and');
    expect(chart!.lines[1]).toContain('…');
    expect(renderDashboard(view(knownStore(), { trend, log, mono: true }), 200, 60).charts.find((item) => item.kind === 'log')).toMatchObject({ lines: ['16:20 fake ok', expect.stringMatching(/^16:21 a \{open\}red-fg/)] });
  });

  it('200×60: the trend beside Sunday with all twelve weeks; pace and entries side by side below', () => {
    const frame = renderDashboard(view(knownStore(), { trend }), 200, 60);
    const text = frame.canvas.text();
    const trendRow = rowOf(frame.canvas, 'Trend · 12 weeks');
    const sundayRow = rowOf(frame.canvas, '7 Sun 22 Nov');
    // Twelve week rows under the trend's title, the current week last.
    for (let row = 1; row <= 12; row++) expect(frame.canvas.line(trendRow + row)).toMatch(/\d+h \d{2}m/);
    void text;
    expect(trendRow).toBe(sundayRow);
    const paceRow = rowOf(frame.canvas, 'Pace · expected by now');
    expect(rowOf(frame.canvas, 'Entries · 1 entry')).toBe(paceRow);
    expect(paceRow).toBeGreaterThan(trendRow + 12);
  });

  it('placement: the smallest space with all the rows; the pace takes its text rows only when its gauges do not fit, leaving the rest to the next panel', () => {
    const wide = { x: 0, y: 0, width: 70, height: 20 };
    const five = { x: 0, y: 30, width: 70, height: 5 };
    // The pace's 7 rows fit only in the tall space, the entries' 7 under it; the trend (5 rows at
    // least) in the short space, the log in the 4 rows left of the tall one.
    expect(placePanels([five, wide]).placed).toEqual([
      { name: 'pace', rect: { ...wide, height: 7 } },
      { name: 'entries', rect: { x: 0, y: 8, width: 70, height: 7 } },
      { name: 'trend', rect: five },
      { name: 'log', rect: { x: 0, y: 16, width: 70, height: 4 } },
    ]);
    // Five rows only: the pace takes its 3 text rows, not 5 with two blank ones, and the 1 row left fits nothing.
    expect(placePanels([five]).placed).toEqual([{ name: 'pace', rect: { ...five, height: 3 } }]);
    // Eight rows: the pace with its gauges (7); the others do not fit in what is left.
    expect(placePanels([{ ...five, height: 8 }]).placed.map((item) => [item.name, item.rect.height])).toEqual([['pace', 7]]);
  });

  it('a panel key shows that panel full-size at 80×24; ? help lists every key', () => {
    const frame = renderDashboard(view(knownStore(), { trend, panel: 'trend' }), 80, 24);
    expect(frame.panels.shown).toEqual(['trend']);
    expect(frame.canvas.text()).toContain('Trend · 12 weeks');
    expect(frame.canvas.line(23)).toContain('w/Esc back');
    const help = renderDashboard(view(knownStore(), { help: true }), 120, 40).canvas.text();
    for (const [key] of KEY_HELP) expect(help).toContain(key);
    for (const panel of PANELS) expect(KEY_HELP.some(([key]) => key === panel.key)).toBe(true);
    expect(help).toContain('Esc');
  });

  it('NO_COLOR: the whole frame has no colour and still reads (panels, pace word, entries)', () => {
    const frame = renderDashboard(view(knownStore(), { trend, mono: true }), 200, 60);
    expect(frame.canvas.rows.flat().every((cell) => cell.fg === null && cell.bg === null)).toBe(true);
    const text = frame.canvas.text();
    expect(text).toContain('behind');
    expect(text).toContain('Entries · 1 entry');
    expect(text).toContain('# billable = other');
  });
});

describe('header: the real end of the last entry', () => {
  it('a frame that ran past the week into Monday 00:50 says "until Mon 30 Nov 00:50", not the week-clipped 00:00', () => {
    const store = new Store();
    const handle = store.addSource('timew', 'dash-plugin-timewarrior');
    // Sunday 29 Nov 22:00 – Monday 30 Nov 00:50 Berlin.
    handle.upsert([{ id: 'late', start: '2026-11-29T21:00:00Z', end: '2026-11-29T23:50:00Z', project: ACME }]);
    const now = new Date('2026-11-30T10:00:00Z');
    const snapshot = snapshotOf(store, now, new Date('2026-11-25T12:00:00Z'));
    const entries = entriesOf(store, secondsOf('2026-11-22T23:00:00Z'), secondsOf('2026-11-29T23:00:00Z'), secondsOf(now.toISOString()));
    const base = { snapshot, now, selectedDay: 6, weekOffset: -1, help: false, mono: false, notice: null, panel: null, trend: [] };
    expect(renderDashboard({ ...base, entries }, 120, 40).canvas.line(1)).toContain('last: Acme website until 00:50');
    // Seen from Tuesday, with the day.
    const tuesday = new Date('2026-12-01T10:00:00Z');
    expect(renderDashboard({ ...base, now: tuesday, snapshot: snapshotOf(store, tuesday, new Date('2026-11-25T12:00:00Z')), entries }, 120, 40).canvas.line(1)).toContain('until Mon 30 Nov 00:50');
    // Without the entries (the cached first frame) it falls back to the grid of the week.
    expect(renderDashboard(base, 120, 40).canvas.line(1)).toContain('until 00:00');
  });
});
