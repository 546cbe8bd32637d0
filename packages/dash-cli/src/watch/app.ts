import { buildSnapshot, EventDeriver, type RangeLease, type Snapshot } from 'dash-core/host';
import { EventLog, eventLine, sourceLine } from './event-log.js';
import type { Session } from '../setup.js';
import { entriesOf, TREND_WEEKS, trendOf, type TrendWeek, type ViewEntry } from './history.js';
import { PANELS, type PanelName } from './panels.js';
import { ContribLayer, type WidgetScreen } from './contrib.js';
import { renderDashboard, type Frame } from './render.js';
import { timerText } from './status.js';
import type { KeyEvent, Terminal } from './terminal.js';
import { todayIndex, type DashView } from './view.js';
import { shiftedWeek } from './week-nav.js';

export interface WatchAppOptions {
  session: Session;
  terminal: Terminal;
  now: () => Date;
  mono: boolean;
  /** Called once when the user quits (q → 0, Ctrl-C → 130). */
  onQuit: (code: number) => void;
  /** Said in the title when the clock is simulated ("demo time"), or null. */
  clockNote?: string | null;
}

/** How long store events are gathered before one redraw. */
const COALESCE_MS = 40;
/** After a manual refresh (`r`) ends, another is ignored for this long: each one costs API quota. */
export const REFRESH_COOLDOWN_MS = 5_000;
/** How long a "wait" notice stays in the status line. */
const NOTICE_MS = 2_000;

/**
 * The live dashboard: state (week, day, help), when to rebuild the snapshot (store changes, the
 * minute tick, keys) and when to draw (only then, plus the timer text once a second).
 */
export class WatchApp {
  readonly #options: WatchAppOptions;
  #weekOffset = 0;
  /** The paged-to week the host keeps fresh while it is on screen (none on the current week). */
  #lease: RangeLease | undefined;
  #selectedDay: number;
  #help = false;
  #notice: string | null = null;
  #panel: PanelName | null = null;
  #snapshot: Snapshot;
  #entries: ViewEntry[] = [];
  /** The past weeks of the trend (they change only with the store), and the store change they are from. */
  #pastWeeks: TrendWeek[] | undefined;
  #pastWeeksKey = '';
  #storeChanges = 0;
  #historyAsked = false;
  /** Each source's state when this run started (from the cache, or new). */
  readonly #initial = new Map<string, { status: string; lastSyncAt: string | null }>();
  /** Sources whose state changed since (a sync of this run began or ended). */
  readonly #moved = new Set<string>();
  /** Whether a frame has shown the trend yet. */
  #trendShown = false;
  #frame: Frame | null = null;
  /** blessed-contrib's widgets on the terminal's screen (none on a terminal without one). */
  readonly #contrib: ContribLayer | undefined;
  #frameKey = '';
  #version = 0;
  #pending: NodeJS.Timeout | undefined;
  #minuteTimer: NodeJS.Timeout | undefined;
  #secondTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Syncs this app asked for that have not ended yet. */
  #syncing = 0;
  /** When the last manual refresh ended (epoch ms of `now()`). */
  #refreshedAt: number | undefined;
  #noticeTimer: NodeJS.Timeout | undefined;
  /** Manual refreshes asked for and sent, and those ignored (debounced). */
  readonly refreshes = { sent: 0, ignored: 0 };
  readonly #onChange = () => {
    this.#storeChanges++;
    for (const source of this.#options.session.store.sources()) {
      const initial = this.#initial.get(source.id);
      if (source.status !== initial?.status || source.lastSyncAt !== initial?.lastSyncAt) this.#moved.add(source.id);
    }
    this.#maybeAskHistory();
    this.#schedule();
  };
  /** The domain events of this run (the same serve and the webhooks deliver), and their log. */
  readonly #deriver = new EventDeriver();
  readonly #log = new EventLog();
  /** Full frames computed (for tests and the CPU check). */
  frames = 0;

  /** blessed-contrib widgets on the screen now (for tests). */
  get contribWidgets(): number {
    return this.#contrib?.size ?? 0;
  }

  constructor(options: WatchAppOptions) {
    this.#options = options;
    const screen = (options.terminal as unknown as { screen?: WidgetScreen }).screen;
    this.#contrib = screen ? new ContribLayer(screen) : undefined;
    this.#snapshot = this.#build();
    this.#selectedDay = todayIndex(this.#snapshot);
    // What is true at the start is the log's first lines (and the events' baseline).
    this.#deriver.update(options.session.store, this.#snapshot);
    const { generatedAt, timezone, today, sources } = this.#snapshot;
    for (const source of sources) this.#log.add(sourceLine(source, generatedAt, timezone, today));
  }

  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  start(): void {
    const { terminal, session } = this.#options;
    for (const source of session.store.sources()) this.#initial.set(source.id, { status: source.status, lastSyncAt: source.lastSyncAt });
    terminal.setFrameSource((width, height) => this.#frameFor(width, height).canvas);
    terminal.onKey((key) => this.#key(key));
    session.store.on('change', this.#onChange);
    terminal.render();
    this.#scheduleMinute();
    this.#secondTimer = setInterval(() => this.#tick(), 1000);
  }

  /**
   * The history once the trend is on screen (shown or full-size) and after this run's first sync
   * of this week: what the user looks at comes first, and a trend never shown costs no request.
   */
  #maybeAskHistory(): void {
    if (this.#historyAsked || !this.#trendShown) return;
    // Each source's first sync of this run has ended (ok, error or rate-limited).
    const synced = (source: { id: string; status: string }) => this.#moved.has(source.id) && source.status !== 'syncing' && source.status !== 'stale';
    if (this.#options.session.store.sources().every(synced)) this.#askHistory();
  }

  /**
   * The trend's history: one ranged sync per backend for the TREND_WEEKS − 1 weeks before this
   * one, once per run (a backend that keeps a cursor, as Toggl's does, fetches a range it already
   * has only through its incremental sync: no extra request on the next start).
   */
  #askHistory(): void {
    if (this.#historyAsked || this.#stopped) return;
    this.#historyAsked = true;
    const { config } = this.#options.session;
    const oldest = shiftedWeek(this.#options.now(), -(TREND_WEEKS - 1), config.timezone, config.weekStart);
    const current = shiftedWeek(this.#options.now(), 0, config.timezone, config.weekStart);
    // Every past week already has time in the store (the cache): nothing to fetch.
    const weeks = Array.from({ length: TREND_WEEKS - 1 }, (_, index) => shiftedWeek(this.#options.now(), index - (TREND_WEEKS - 1), config.timezone, config.weekStart));
    if (weeks.every((week) => this.#options.session.store.entriesBetween(week.from, week.to).length > 0)) return;
    const done = () => this.#schedule();
    this.#options.session.host.syncOnce({ from: oldest.from, to: current.from }).then(done, done);
  }

  stop(): void {
    this.#stopped = true;
    this.#lease?.release();
    clearTimeout(this.#pending);
    clearTimeout(this.#minuteTimer);
    clearInterval(this.#secondTimer);
    clearTimeout(this.#noticeTimer);
    this.#options.session.store.off('change', this.#onChange);
    this.#contrib?.destroy();
  }

  #view(): DashView {
    const app = this;
    return {
      snapshot: this.#snapshot,
      now: this.#options.now(),
      selectedDay: this.#selectedDay,
      weekOffset: this.#weekOffset,
      help: this.#help,
      mono: this.#options.mono,
      notice: this.#notice,
      entries: this.#entries,
      // Computed only when a panel draws it.
      get trend() {
        return app.#trend();
      },
      panel: this.#panel,
      log: { lines: this.#log.lines, total: this.#log.total },
      clockNote: this.#options.clockNote ?? null,
    };
  }

  /** The trend: past weeks recomputed only when the store changed, this week from the snapshot. */
  #trend(): TrendWeek[] {
    const { config, store } = this.#options.session;
    const now = this.#options.now();
    const current = shiftedWeek(now, 0, config.timezone, config.weekStart);
    const key = `${this.#storeChanges}:${current.dates[0]}`;
    if (!this.#pastWeeks || key !== this.#pastWeeksKey) {
      const anchors = Array.from({ length: TREND_WEEKS - 1 }, (_, index) => shiftedWeek(now, index - (TREND_WEEKS - 1), config.timezone, config.weekStart).anchor);
      this.#pastWeeks = trendOf(store, { now, timeZone: config.timezone, weekStart: config.weekStart, goals: config.goals, workdays: config.workdays, colors: config.colors }, anchors);
      this.#pastWeeksKey = key;
    }
    const shown = this.#weekOffset === 0 ? this.#snapshot : this.#currentWeek();
    return [...this.#pastWeeks, { start: shown.week.start, totalSeconds: shown.week.totalSeconds, billableSeconds: shown.week.billableSeconds, goalSeconds: shown.week.goalSeconds }];
  }

  #frameFor(width: number, height: number): Frame {
    const key = `${width}x${height}:${this.#version}`;
    if (!this.#frame || key !== this.#frameKey) {
      this.#frame = renderDashboard(this.#view(), width, height);
      this.#frameKey = key;
      this.frames++;
      this.#contrib?.sync(this.#frame.charts);
      if (!this.#trendShown && this.#frame.panels.shown.includes('trend')) {
        this.#trendShown = true;
        setImmediate(() => this.#maybeAskHistory());
      }
    }
    return this.#frame;
  }

  #week() {
    const { config } = this.#options.session;
    return shiftedWeek(this.#options.now(), this.#weekOffset, config.timezone, config.weekStart);
  }

  #build(): Snapshot {
    const { config, store } = this.#options.session;
    const week = this.#week();
    this.#entries = entriesOf(store, Math.floor(week.from.getTime() / 1000), Math.floor(week.to.getTime() / 1000), Math.floor(this.#options.now().getTime() / 1000));
    return buildSnapshot(store, {
      now: this.#options.now(),
      timeZone: config.timezone,
      weekStart: config.weekStart,
      goals: config.goals,
      workdays: config.workdays,
      colors: config.colors,
      week: this.#week().anchor,
    });
  }

  /** The events since the last look at the store (on the current week, whichever is shown), logged. */
  #recordEvents(): void {
    const current = this.#weekOffset === 0 ? this.#snapshot : this.#currentWeek();
    for (const event of this.#deriver.update(this.#options.session.store, current)) this.#log.add(eventLine(event, current.timezone, current.today));
  }

  /** This week's snapshot (when another week is shown). */
  #currentWeek(): Snapshot {
    const { config, store } = this.#options.session;
    const now = this.#options.now();
    return buildSnapshot(store, { now, timeZone: config.timezone, weekStart: config.weekStart, goals: config.goals, workdays: config.workdays, week: shiftedWeek(now, 0, config.timezone, config.weekStart).anchor });
  }

  /** Something changed: new snapshot, new frame, draw. */
  #refresh(): void {
    if (this.#stopped) return;
    this.#snapshot = this.#build();
    this.#recordEvents();
    this.#version++;
    this.#options.terminal.render();
  }

  /** Only the view state changed (day, help, notice): new frame from the same snapshot. */
  #redraw(): void {
    if (this.#stopped) return;
    this.#version++;
    this.#options.terminal.render();
  }

  #schedule(): void {
    if (this.#pending || this.#stopped) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.#refresh();
    }, COALESCE_MS);
  }

  #scheduleMinute(): void {
    const nowMs = this.#options.now().getTime();
    const wait = 60_000 - (nowMs % 60_000) + 5;
    this.#minuteTimer = setTimeout(() => {
      this.#refresh();
      this.#scheduleMinute();
    }, wait);
  }

  /** The second tick: only the timers' text changes. */
  #tick(): void {
    if (this.#stopped || !this.#frame || this.#frame.timers.length === 0) return;
    const nowMs = this.#options.now().getTime();
    const canvas = this.#frame.canvas;
    for (const spot of this.#frame.timers) canvas.put(spot.x, spot.y, timerText(spot.startMs, nowMs), spot.style);
    this.#options.terminal.patch(canvas, this.#frame.timers);
  }

  #sync(range?: { from: Date; to: Date }, onEnd?: () => void, syncing?: Promise<unknown>): void {
    clearTimeout(this.#noticeTimer);
    this.#notice = 'syncing…';
    this.#syncing++;
    this.#redraw();
    const done = () => {
      this.#syncing--;
      onEnd?.();
      if (this.#syncing === 0) this.#notice = null;
      this.#refresh();
    };
    (syncing ?? this.#options.session.host.requestSync(range)).then(done, done);
  }

  /**
   * `r`: sync now, unless a sync is still running or the last refresh ended less than
   * REFRESH_COOLDOWN_MS ago; then only say so ("synced 3s ago — wait") for a moment.
   */
  #manualRefresh(): void {
    const nowMs = this.#options.now().getTime();
    const since = this.#refreshedAt === undefined ? Number.POSITIVE_INFINITY : nowMs - this.#refreshedAt;
    if (this.#syncing > 0 || since < REFRESH_COOLDOWN_MS) {
      this.refreshes.ignored++;
      this.#notice = this.#syncing > 0 ? 'syncing… — wait' : `synced ${Math.max(0, Math.floor(since / 1000))}s ago — wait`;
      this.#redraw();
      clearTimeout(this.#noticeTimer);
      this.#noticeTimer = setTimeout(() => {
        if (this.#syncing > 0) return;
        this.#notice = null;
        this.#redraw();
      }, NOTICE_MS);
      this.#noticeTimer.unref?.();
      return;
    }
    this.refreshes.sent++;
    this.#sync(this.#weekOffset === 0 ? undefined : this.#week(), () => (this.#refreshedAt = this.#options.now().getTime()));
  }

  #goToWeek(offset: number): void {
    this.#weekOffset = offset;
    const week = this.#week();
    this.#snapshot = this.#build();
    this.#selectedDay = offset === 0 ? todayIndex(this.#snapshot) : Math.min(this.#selectedDay, 6);
    // The week on screen is kept fresh while it is shown; the current week always is.
    this.#lease?.release();
    this.#lease = undefined;
    if (offset === 0) {
      this.#sync();
      return;
    }
    const lease = (this.#lease = this.#options.session.host.keepFresh({ from: week.from, to: week.to }));
    this.#sync(undefined, undefined, lease.synced);
  }

  #key(key: KeyEvent): void {
    if (this.#stopped) return;
    if ((key.ctrl && key.name === 'c') || key.name === 'q' || key.ch === 'q') {
      this.#options.onQuit(key.ctrl ? 130 : 0);
      return;
    }
    if (this.#help) {
      this.#help = false;
      this.#redraw();
      return;
    }
    const panel = PANELS.find((item) => item.key === key.ch);
    if (panel) {
      this.#panel = this.#panel === panel.name ? null : panel.name;
      this.#redraw();
      return;
    }
    if (key.name === 'escape' && this.#panel) {
      this.#panel = null;
      this.#redraw();
      return;
    }
    switch (key.ch ?? key.name) {
      case '?':
        this.#help = true;
        this.#redraw();
        return;
      case 'r':
        this.#manualRefresh();
        return;
      case 't':
        this.#goToWeek(0);
        return;
      case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        this.#selectedDay = Number(key.ch) - 1;
        this.#redraw();
        return;
    }
    switch (key.name) {
      case 'left':
        this.#goToWeek(this.#weekOffset - 1);
        return;
      case 'right':
        this.#goToWeek(this.#weekOffset + 1);
        return;
      case 'up':
        this.#selectedDay = (this.#selectedDay + 6) % 7;
        this.#redraw();
        return;
      case 'down':
        this.#selectedDay = (this.#selectedDay + 1) % 7;
        this.#redraw();
        return;
    }
  }
}
