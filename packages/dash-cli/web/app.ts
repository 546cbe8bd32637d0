/**
 * The web dashboard of `dash-cli serve` (built by tsup into dist/web/app.js and inlined in the
 * page): what `watch` shows, live over /api/v1/events. The browser's cookie carries the token.
 */
import type { DashEventData } from 'dash-core';
import type { Snapshot, SnapshotDay, SnapshotProject } from 'dash-core/host';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let live: Snapshot | undefined;
let shown: Snapshot | undefined;
let receivedAt = Date.now();
let weekOffset = 0;
let source: EventSource | undefined;
let pagedRequest = 0;

const pad = (value: number) => String(value).padStart(2, '0');
/** 7:05 (hours:minutes), whole minutes down. */
function hm(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${Math.floor(minutes / 60)}:${pad(minutes % 60)}`;
}
const hms = (seconds: number) => `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
const percent = (done: number, goal: number | null) => (goal ? ` (${Math.floor((done / goal) * 100)}%)` : '');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & Record<string, unknown> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role') node.setAttribute(key, String(value));
    else (node as unknown as Record<string, unknown>)[key] = value;
  }
  node.append(...children);
  return node;
}

/** Project index in the week's order: the pattern class and the letter that tell projects apart without colour. */
function projectStyles(snapshot: Snapshot): Map<string, { letter: string; cls: string; color: string }> {
  const styles = new Map<string, { letter: string; cls: string; color: string }>();
  snapshot.week.projects.forEach((project, index) => {
    styles.set(project.key, { letter: index < 26 ? String.fromCharCode(65 + index) : String(index + 1), cls: `p${index % 8}`, color: project.color ?? ['#8ab4f8', '#f6ae2d', '#86bb71', '#f28482', '#b497d6', '#5ec8c8', '#d4a373', '#a0a0a0'][index % 8]! });
  });
  return styles;
}

function nameOf(project: Pick<SnapshotProject, 'name'> | null): string {
  return project?.name || 'no project';
}

function renderClock(): void {
  const clock = $('clock');
  if (!live) return;
  const elapsed = Math.floor((Date.now() - receivedAt) / 1000);
  if (live.clockedIn.length === 0) {
    clock.textContent = '○ Not clocked in';
    clock.dataset.state = 'out';
    return;
  }
  clock.dataset.state = 'in';
  clock.replaceChildren(
    ...live.clockedIn.map((entry) =>
      el('span', {}, '● Clocked in: ', el('strong', {}, nameOf(entry.project)), entry.description ? ` · ${entry.description}` : '', entry.billable ? ' · billable' : '', ' · ', el('span', { className: 'num', 'data-testid': 'timer' }, hms(entry.elapsedSeconds + elapsed)), el('br')),
    ),
  );
}

function renderSources(snapshot: Snapshot): void {
  $('sources').replaceChildren(
    ...snapshot.sources.map((item) =>
      el(
        'li',
        { className: `status-${item.status}` },
        `${item.id}: ${item.status}`,
        item.lastSyncAt ? el('span', { className: 'muted' }, ` (synced ${new Date(item.lastSyncAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})`) : '',
        item.error ? ` — ${item.error.message}` : '',
      ),
    ),
  );
}

function bar(container: HTMLElement, projects: SnapshotProject[], field: 'seconds' | 'billableSeconds', goal: number | null, styles: ReturnType<typeof projectStyles>, label: string): void {
  const total = projects.reduce((sum, project) => sum + project[field], 0);
  const scale = Math.max(goal ?? 0, total, 1);
  const parts: HTMLElement[] = [];
  let done = 0;
  for (const project of projects) {
    if (project[field] <= 0) continue;
    const style = styles.get(project.key)!;
    const width = (project[field] / scale) * 100;
    const overflow = goal !== null && done + project[field] > goal;
    done += project[field];
    parts.push(el('div', { className: `seg ${style.cls}${overflow ? ' over' : ''}`, title: `${nameOf(project)}: ${hm(project[field])}`, style: `width:${width}%;--c:${style.color}` } as never, width > 3 ? style.letter : ''));
  }
  if (goal) parts.push(el('div', { className: 'goal', title: `goal ${hm(goal)}`, style: `left:calc(${(goal / scale) * 100}% - 1.5px)` } as never));
  container.replaceChildren(...parts);
  container.setAttribute('aria-label', `${label}: ${hm(total)}${goal ? ` of ${hm(goal)}` : ''}, ${projects.filter((p) => p[field] > 0).map((p) => `${nameOf(p)} ${hm(p[field])}`).join(', ')}`);
}

function drawDay(canvas: HTMLCanvasElement, day: SnapshotDay, styles: ReturnType<typeof projectStyles>): void {
  const cell = 4;
  canvas.width = 60 * cell;
  canvas.height = day.hours.length * cell;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.fillStyle = getComputedStyle(document.body).getPropertyValue('--line') || '#ccc';
  day.hours.forEach((hour, row) => {
    hour.minutes.forEach((key, minute) => {
      if (key === null) {
        if (minute % 15 === 0) {
          context.fillStyle = '#8884';
          context.fillRect(minute * cell, row * cell + cell / 2, 1, 1);
        }
        return;
      }
      const style = styles.get(key);
      context.fillStyle = style?.color ?? '#888';
      context.fillRect(minute * cell, row * cell, cell, cell - 1);
      // The pattern's stripe, so projects differ in grey too.
      if (style && Number(style.cls.slice(1)) % 2 === 1 && (minute + row) % 2 === 0) {
        context.fillStyle = '#fff8';
        context.fillRect(minute * cell, row * cell, cell / 2, cell - 1);
      }
    });
  });
}

function renderDays(snapshot: Snapshot, styles: ReturnType<typeof projectStyles>): void {
  const days = snapshot.days.map((day) => {
    const canvas = el('canvas', { 'aria-hidden': 'true' });
    drawDay(canvas, day, styles);
    const goal = day.goalSeconds;
    const card = el(
      'article',
      { className: `day${day.date === snapshot.today ? ' today' : ''}`, tabIndex: 0, 'data-date': day.date, 'aria-label': `${day.weekday} ${day.date}: ${hm(day.totalSeconds)} tracked${goal ? ` of ${hm(goal)}` : ''}. Press Enter for its entries.` },
      el('h3', {}, el('span', {}, `${day.weekday.slice(0, 3)} ${day.date.slice(5)}${day.date === snapshot.today ? ' (today)' : ''}`), el('span', { className: 'num', 'data-testid': 'day-total' }, `${hm(day.totalSeconds)}${goal ? ` / ${hm(goal)}` : ''}${percent(day.totalSeconds, goal)}`)),
      el('div', { className: 'progress', 'aria-hidden': 'true' }, el('span', { style: `width:${goal ? Math.min(100, (day.totalSeconds / goal) * 100) : 0}%` } as never)),
      canvas,
      el('ul', {}, ...day.projects.map((project) => el('li', {}, `${styles.get(project.key)?.letter ?? '?'} ${nameOf(project)} ${hm(project.seconds)}${project.billableSeconds ? ` (billable ${hm(project.billableSeconds)})` : ''}`))),
    );
    const open = () => void showEntries(day, snapshot);
    card.addEventListener('focus', open);
    card.addEventListener('mouseenter', open);
    card.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') open();
    });
    return card;
  });
  $('days').replaceChildren(...days);
}

async function showEntries(day: SnapshotDay, snapshot: Snapshot): Promise<void> {
  const from = day.hours[0]!.start;
  const next = snapshot.days[snapshot.days.indexOf(day) + 1];
  const to = next ? next.hours[0]!.start : new Date(Date.parse(from) + 86_400_000).toISOString();
  const detail = $('detail');
  const response = await fetch(`/api/v1/entries?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  if (!response.ok) return;
  const rows = (await response.json()) as { start: string; end: string | null; seconds: number; project: string | null; description: string; billable: boolean }[];
  const time = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: snapshot.timezone });
  detail.replaceChildren(
    el('h3', {}, `Entries of ${day.weekday} ${day.date}`),
    rows.length === 0
      ? el('p', { className: 'muted' }, 'nothing tracked')
      : el(
          'table',
          {},
          el('thead', {}, el('tr', {}, el('th', {}, 'from'), el('th', {}, 'to'), el('th', {}, 'project'), el('th', {}, 'description'), el('th', {}, 'time'), el('th', {}, 'billable'))),
          el('tbody', {}, ...rows.map((row) => el('tr', {}, el('td', {}, time.format(new Date(row.start))), el('td', {}, row.end ? time.format(new Date(row.end)) : 'running'), el('td', {}, row.project ?? 'no project'), el('td', {}, row.description), el('td', { className: 'num' }, hm(row.seconds)), el('td', {}, row.billable ? 'yes' : 'no')))),
        ),
  );
}

function render(): void {
  const snapshot = shown;
  if (!snapshot || !live) return;
  $('app').setAttribute('aria-busy', 'false');
  const styles = projectStyles(snapshot);
  $('week-label').textContent = `${snapshot.week.start} – ${snapshot.week.end}${weekOffset === 0 ? ' (this week)' : ''}`;
  const week = snapshot.week;
  const total = $('week-total');
  total.dataset.seconds = String(week.totalSeconds);
  total.textContent = `Tracked ${hm(week.totalSeconds)}${week.goalSeconds ? ` of ${hm(week.goalSeconds)}` : ''}${percent(week.totalSeconds, week.goalSeconds)}${week.goalSeconds && week.totalSeconds > week.goalSeconds ? ` · ${hm(week.totalSeconds - week.goalSeconds)} over` : ''}`;
  const billable = $('billable-total');
  billable.dataset.seconds = String(week.billableSeconds);
  billable.textContent = `Billable ${hm(week.billableSeconds)}${week.billableGoalSeconds ? ` of ${hm(week.billableGoalSeconds)}` : ''}${percent(week.billableSeconds, week.billableGoalSeconds)}`;
  bar($('week-bar'), week.projects, 'seconds', week.goalSeconds, styles, 'tracked this week');
  bar($('billable-bar'), week.projects, 'billableSeconds', week.billableGoalSeconds, styles, 'billable this week');
  $('legend').replaceChildren(
    ...week.projects.map((project) => {
      const style = styles.get(project.key)!;
      return el('li', {}, el('span', { className: `swatch seg ${style.cls}`, style: `--c:${style.color}`, 'aria-hidden': 'true' } as never, style.letter), `${style.letter}: ${nameOf(project)}${project.client ? ` (${project.client})` : ''} · ${hm(project.seconds)}${project.billableSeconds ? ` · billable ${hm(project.billableSeconds)}` : ''}`);
    }),
  );
  renderSources(live);
  renderDays(snapshot, styles);
  renderClock();
}

function addDays(date: string, days: number): string {
  const day = new Date(`${date}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Another week: asked for once, and again after every change while it is shown. */
async function loadPaged(): Promise<void> {
  if (!live) return;
  if (weekOffset === 0) {
    shown = live;
    render();
    return;
  }
  const request = ++pagedRequest;
  const response = await fetch(`/api/v1/snapshot?week=${addDays(live.week.start, weekOffset * 7)}`);
  if (request !== pagedRequest || !response.ok) return;
  shown = (await response.json()) as Snapshot;
  render();
}

function page(delta: number | null): void {
  weekOffset = delta === null ? 0 : weekOffset + delta;
  void loadPaged();
}

function status(text: string): void {
  $('conn').textContent = text;
}

const EVENT_TEXT: { [T in keyof DashEventData]: (data: DashEventData[T]) => string } = {
  'clock.in': (data) => `clocked in: ${nameOf(data.entry.project)}`,
  'clock.out': (data) => `clocked out: ${nameOf(data.entry.project)} after ${hm(data.seconds)}`,
  'goal.reached': (data) => `goal reached: ${data.goal.replace('_', ' ')} (${hm(data.goalSeconds)})`,
  'source.status': (data) => `${data.id}: ${data.status}${data.error ? ` — ${data.error.message}` : ''}`,
};

function connect(): void {
  source?.close();
  const stream = new EventSource('/api/v1/events');
  source = stream;
  stream.addEventListener('open', () => status('live'));
  stream.addEventListener('snapshot', (event) => {
    live = JSON.parse((event as MessageEvent<string>).data) as Snapshot;
    receivedAt = Date.now();
    status('live');
    if (weekOffset === 0) {
      shown = live;
      render();
    } else void loadPaged();
  });
  for (const type of Object.keys(EVENT_TEXT) as (keyof DashEventData)[]) {
    stream.addEventListener(type, (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as never;
      $('last-event').textContent = `${new Date().toLocaleTimeString()}: ${EVENT_TEXT[type](data)}`;
    });
  }
  stream.addEventListener('error', () => {
    status('reconnecting…');
    // The browser retries by itself unless the server answered with an error: then try again
    // a little later, and tell when the token is no longer accepted.
    if (stream.readyState !== EventSource.CLOSED) return;
    setTimeout(async () => {
      if (source !== stream) return;
      const probe = await fetch('/api/v1/snapshot', { method: 'HEAD' }).catch(() => undefined);
      if (probe?.status === 401) {
        status('signed out: open the address dash-cli serve printed (…/?token=…) again');
        return;
      }
      connect();
    }, 2_000);
  });
}

$('prev').addEventListener('click', () => page(-1));
$('next').addEventListener('click', () => page(1));
$('this-week').addEventListener('click', () => page(null));
document.addEventListener('keydown', (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || (event.target as HTMLElement).matches('input, textarea')) return;
  if (event.key === 'ArrowLeft') page(-1);
  else if (event.key === 'ArrowRight') page(1);
  else if (event.key === 't') page(null);
});
setInterval(renderClock, 1_000);
connect();
