import { Store } from 'dash-core/host';
import { describe, expect, it } from 'vitest';
import type { Canvas } from '../src/watch/canvas.js';
import { chooseLayout } from '../src/watch/layout.js';
import { MONO_GLYPHS, projectColor, THEME } from '../src/watch/palette.js';
import { renderDashboard } from '../src/watch/render.js';
import type { DashView } from '../src/watch/view.js';
import { ACME, GLOBEX, knownStore, NOW, snapshotOf, TINY } from './fixtures.js';

function view(overrides: Partial<DashView> = {}, store: Store = knownStore()): DashView {
  const snapshot = snapshotOf(store);
  return { snapshot, now: NOW, selectedDay: 4, weekOffset: 0, help: false, mono: false, notice: null, ...overrides };
}

function rowOf(canvas: Canvas, text: string): number {
  const y = canvas.rows.findIndex((_, row) => canvas.line(row).includes(text));
  if (y === -1) throw new Error(`"${text}" not on screen:\n${canvas.text()}`);
  return y;
}

/** The cell of minute `minute` in the grid row labelled `hh` (first such row from `fromRow`). */
function minuteCell(canvas: Canvas, x0: number, label: string, minute: number, fromRow = 0) {
  for (let y = fromRow; y < canvas.height; y++) {
    const line = canvas.line(y);
    if (line.slice(x0, x0 + 3) === `${label} ` && (x0 === 0 || line[x0 - 1] === ' ') && line[x0 + 3] === '▀') return canvas.cell(x0 + 3 + minute, y)!;
  }
  throw new Error(`no grid row ${label}`);
}

describe('renderDashboard: the three parts', () => {
  it('200×60: status, week and all seven day graphs', () => {
    const { canvas, layout, timers } = renderDashboard(view(), 200, 60);
    expect(layout.mode).toBe('full');
    const text = canvas.text();
    // 1. clocked in: source, timer (30 min), project, description, sync state
    expect(text).toMatch(/● toggl\s+0:30:00 {2}Globex API — Pairing/);
    expect(text).toContain('ok · synced 16:29');
    expect(timers).toHaveLength(1);
    // 2. the week: 4h + 1h30 + 5m + 30m running = 6h 05m; billable 6h 00m
    expect(text).toContain('worked 6h 05m / 40h 00m 15%');
    expect(text).toContain('billable 6h 00m / 30h 00m 20%');
    expect(text).toContain('Acme website 4h 00m');
    expect(text).toContain('Globex API 2h 00m');
    expect(text).toContain('Tiny task 5m');
    // 3. seven day headers, today marked, progress against the daily goal
    for (const day of ['1 Mon 16 Nov', '2 Tue 17 Nov', '3 Wed 18 Nov', '4 Thu 19 Nov', '5 Fri 20 Nov', '6 Sat 21 Nov', '7 Sun 22 Nov']) expect(text).toContain(day);
    expect(text).toContain('5 Fri 20 Nov today');
    expect(text).toContain('5h 30m/8h 68%');
  });

  it('colors: minute boxes in the project color, empty minutes grey, the current minute white', () => {
    const { canvas } = renderDashboard(view(), 200, 60);
    // Monday block is the first column (x = 1). Acme 08:00–12:00 local: hours 08 and 09 share a row.
    const acme = minuteCell(canvas, 1, '08', 0);
    expect(acme.ch).toBe('▀');
    expect(acme.fg).toBe(ACME.color);
    expect(acme.bg).toBe(ACME.color); // 09:00 in the lower half
    const empty = minuteCell(canvas, 1, '06', 1);
    expect(empty.fg).toBe(THEME.emptyMinute);
    expect(minuteCell(canvas, 1, '06', 15).fg).toBe(THEME.emptyQuarter);
    // Globex 13:00–14:30 local: row "14" upper half = 14:00–14:29 globex, 14:30 empty
    expect(minuteCell(canvas, 1, '14', 29).fg).toBe(GLOBEX.color);
    expect(minuteCell(canvas, 1, '14', 30).fg).toBe(THEME.emptyQuarter);
    expect(minuteCell(canvas, 1, '14', 31).fg).toBe(THEME.emptyMinute);
    // Friday (second block column, second block row): now is 16:30 → row "16", minute 30, upper half
    const friX = 1 + 63 + 2;
    const friRow = rowOf(canvas, '5 Fri 20 Nov');
    expect(minuteCell(canvas, friX, '16', 30, friRow).fg).toBe(THEME.now);
    expect(minuteCell(canvas, friX, '16', 29, friRow).fg).toBe(GLOBEX.color);
    // A project with no color of its own gets its stable hashed one, in the legend too.
    const legendRow = rowOf(canvas, 'Tiny task 5m');
    const x = canvas.line(legendRow).indexOf('Tiny task');
    expect(canvas.cell(x, legendRow)!.fg).toBe(projectColor({ key: `toggl:${TINY.key}`, color: null }));
  });

  it('the week bar: goal marker at the end, a cell for the 5-minute project', () => {
    const { canvas } = renderDashboard(view(), 120, 40);
    const y = rowOf(canvas, 'Worked  ');
    const line = canvas.line(y);
    expect(line.trimEnd().endsWith('┃')).toBe(true);
    const cells = canvas.rows[y]!.slice(11, line.indexOf('┃'));
    const colors = new Set(cells.filter((c) => c.ch === '█').map((c) => c.fg));
    expect(colors).toEqual(new Set([ACME.color, GLOBEX.color, projectColor({ key: `toggl:${TINY.key}`, color: null })]));
    // 6h 05m of 40h over 108 cells ≈ 16 cells filled
    expect(cells.filter((c) => c.ch === '█')).toHaveLength(16);
  });

  it('120×40: compact week (a strip per day) and the selected day in full', () => {
    const { canvas, layout } = renderDashboard(view({ selectedDay: 0 }), 120, 40);
    expect(layout).toMatchObject({ mode: 'compact', strips: true });
    const text = canvas.text();
    expect(text).toContain('▶1 Mon 16 Nov');
    expect(text).toContain('5h 30m/8h 68%');
    // the full Monday grid: 12 half-block rows 00..22
    expect(text).toMatch(/^ 00 ▀{60} {3}This day$/m);
    expect(text).toMatch(/^ 22 ▀{60}$/m);
    // beside it, the day's projects
    expect(text).toMatch(/^ 02 ▀{60} {3}█ Acme website 4h 00m$/m);
    expect(text).toMatch(/^ 04 ▀{60} {3}█ Globex API 1h 30m$/m);
  });

  it('80×24: compact with day tabs; everything within the screen', () => {
    const { canvas, layout } = renderDashboard(view(), 80, 24);
    expect(layout).toMatchObject({ mode: 'compact', strips: false });
    const text = canvas.text();
    expect(text).toContain('1 Mo 5:30');
    expect(text).toContain('5 Fr 0:30');
    expect(text).toContain('worked 6h 05m / 40h 00m 15%');
    expect(text).toContain('q quit');
    expect(canvas.line(23)).toContain('q quit');
  });

  it('too small: a clear message with the size needed', () => {
    const { canvas, layout } = renderDashboard(view(), 50, 15);
    expect(layout.mode).toBe('too-small');
    expect(canvas.text()).toMatch(/terminal too small \(need 65×\d+\)/);
  });

  it('NO_COLOR: no colors at all, projects told apart by glyph in graph and legend', () => {
    const { canvas } = renderDashboard(view({ mono: true, selectedDay: 0 }), 120, 50);
    for (const row of canvas.rows) for (const cell of row) expect([cell.fg, cell.bg]).toEqual([null, null]);
    const text = canvas.text();
    // legend order: Acme (4h), Globex (2h), Tiny (5m)
    expect(text).toContain(`${MONO_GLYPHS[0]} Acme website 4h 00m`);
    expect(text).toContain(`${MONO_GLYPHS[1]} Globex API 2h 00m`);
    expect(text).toContain(`${MONO_GLYPHS[2]} Tiny task 5m`);
    expect(text).toContain(`08 ${MONO_GLYPHS[0].repeat(60)}`);
    expect(text).toContain(`13 ${MONO_GLYPHS[1].repeat(60)}`);
    expect(text).toContain(`14 ${MONO_GLYPHS[1].repeat(30)}${'·'.repeat(30)}`);
  });

  it('not tracking: says so with the last activity; errors and rate limits show their reason', () => {
    const store = knownStore({ running: false });
    const other = store.addSource('upwork', 'dash-plugin-upwork');
    other.setStatus({ status: 'error', error: { code: 'AUTH_REQUIRED', message: 'sign in again' } });
    const third = store.addSource('clock', 'dash-plugin-x');
    third.setStatus({ status: 'rate-limited', until: '2026-11-20T16:00:00Z' });
    const { canvas, timers } = renderDashboard(view({}, store), 120, 40);
    const text = canvas.text();
    expect(timers).toHaveLength(0);
    expect(text).toMatch(/○ toggl\s+not tracking · last: Tiny task until Tue 17 Nov 09:05/);
    expect(text).toContain('error: sign in again [AUTH_REQUIRED]');
    expect(text).toContain('rate-limited until 17:00');
    const y = rowOf(canvas, 'AUTH_REQUIRED');
    const x = canvas.line(y).indexOf('error:');
    expect(canvas.cell(x, y)!.fg).toBe('red');
  });

  it('help overlay lists the keys', () => {
    const { canvas } = renderDashboard(view({ help: true }), 80, 24);
    const text = canvas.text();
    expect(text).toContain('previous / next week');
    expect(text).toContain('select a day');
  });
});

describe('DST', () => {
  it('a 25-hour day (end of summer time) has 25 hour rows: 13 half-block rows, 02 twice', () => {
    const store = new Store();
    store.addSource('toggl', 'x');
    // Sunday 25 Oct 2026 is the end of DST in Berlin; its week is 19–25 Oct.
    const snapshot = snapshotOf(store, new Date('2026-10-25T12:00:00Z'));
    const sunday = snapshot.days[6]!;
    expect(sunday.hours).toHaveLength(25);
    const layout = chooseLayout(snapshot, 200, 60, false);
    expect(layout).toMatchObject({ mode: 'full', blockHeight: 14 });
    const { canvas } = renderDashboard({ ...view(), snapshot, now: new Date('2026-10-25T12:00:00Z'), selectedDay: 6 }, 200, 60);
    expect(canvas.text()).toContain('7 Sun 25 Oct');
  });

  it('a 23-hour day (start of summer time) draws 12 rows, the last one half empty', () => {
    const store = new Store();
    store.addSource('toggl', 'x');
    const snapshot = snapshotOf(store, new Date('2026-03-29T12:00:00Z'));
    expect(snapshot.days[6]!.hours).toHaveLength(23);
    const { canvas } = renderDashboard({ ...view(), snapshot, now: new Date('2026-03-29T12:00:00Z'), selectedDay: 6, mono: true }, 120, 60);
    const text = canvas.text();
    expect(text).not.toMatch(/^ 02 /m);
    expect(text).toMatch(/^ 03 ·{60}$/m);
  });
});

describe('every terminal size', () => {
  it('gives either the dashboard (title on top, keys at the bottom, day graph) or "too small" with what is needed', () => {
    const base = view();
    for (let width = 40; width <= 230; width += 7) {
      for (let height = 10; height <= 70; height += 3) {
        const { canvas, layout } = renderDashboard(base, width, height);
        if (layout.mode === 'too-small') {
          expect(width < layout.need.width || height < layout.need.height).toBe(true);
          expect(canvas.text()).toContain('terminal too small');
          continue;
        }
        expect(canvas.line(0)).toContain('Dash');
        expect(canvas.line(height - 1)).toContain('q quit');
        expect(canvas.text()).toMatch(/^ \d\d ▀{60}/m);
        // the selected day's header is never overwritten by the grid or the footer
        expect(canvas.text()).toContain('▶5 Fri 20 Nov');
      }
    }
  });
});
