import { z } from 'zod';
import { addDays, instantOf, localDateOf, WEEKDAYS, weekdayOf } from './calendar.js';
import type { EntryInput, ProjectInput } from './model.js';
import { DASH_PLUGIN_API_VERSION, defineBackendPlugin } from './plugin.js';

const PROJECTS = {
  acme: { key: 'acme', name: 'Acme website', client: 'Acme Corp', color: '#06aaf5' },
  globex: { key: 'globex', name: 'Globex API', client: 'Globex', color: '#e36a00' },
  initech: { key: 'initech', name: 'Initech audit', client: 'Initech', color: '#c7254e' },
  internal: { key: 'internal', name: 'Admin & invoicing', client: null, color: '#9e5bd9' },
  oss: { key: 'oss', name: 'Open source', client: null, color: '#2da608' },
} satisfies Record<string, ProjectInput>;

type ProjectId = keyof typeof PROJECTS;
/** [start "HH:MM", end "HH:MM", project, description, billable] */
type Block = [string, string, ProjectId | null, string, boolean];

/** A week of realistic days, by ISO weekday (1 = Monday). */
const PLAN: Record<number, Block[]> = {
  1: [['08:45', '09:10', 'internal', 'Email and planning', false], ['09:10', '12:30', 'acme', 'Checkout redesign', true], ['13:15', '15:40', 'globex', 'Rate limiter', true], ['15:40', '16:05', null, 'Call with accountant', false], ['16:05', '17:50', 'acme', 'Checkout redesign', true]],
  2: [['09:00', '11:45', 'globex', 'Webhooks v2', true], ['11:45', '12:20', 'internal', 'Invoices', false], ['13:00', '17:15', 'initech', 'Security audit', true], ['21:30', '24:00', 'oss', 'Review pull requests', false]],
  3: [['00:00', '00:40', 'oss', 'Review pull requests', false], ['09:30', '12:00', 'acme', 'Product page', true], ['12:45', '16:30', 'acme', 'Product page', true], ['16:30', '18:10', 'globex', 'Incident follow-up', true]],
  4: [['08:30', '12:15', 'initech', 'Security audit', true], ['13:00', '14:20', 'internal', 'Bookkeeping', false], ['14:20', '18:00', 'globex', 'Webhooks v2', true]],
  5: [['09:15', '12:30', 'acme', 'Launch prep', true], ['13:30', '15:30', 'initech', 'Audit report', true], ['15:30', '16:15', 'internal', 'Weekly review', false]],
  6: [['10:00', '11:30', 'oss', 'Release 2.0', false]],
  7: [],
};

/** What is running "now" in the demo: started a while ago, on a billable project. */
const RUNNING: { project: ProjectId; description: string; minutesAgo: number } = {
  project: 'globex',
  description: 'Pairing on the API client',
  minutesAgo: 47,
};

/** 2026-11-20T09:15:00Z */
const isoSeconds = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Weeks before the current one vary, so a trend of past weeks looks lived in: every few weeks a
 * Friday off, and blocks cut short by 0–45 minutes in a fixed pattern (the same in every run).
 */
function variation(weeksAgo: number, day: number, block: number): { skip: boolean; trimMinutes: number } {
  if (weeksAgo <= 0) return { skip: false, trimMinutes: 0 };
  return { skip: day === 5 && weeksAgo % 4 === 2, trimMinutes: ((weeksAgo * 7 + day * 3 + block * 5) % 4) * 15 };
}

function entriesFor(date: string, zone: string, cutoff: number, weeksAgo: number): EntryInput[] {
  const entries: EntryInput[] = [];
  const day = WEEKDAYS.indexOf(weekdayOf(date)) + 1;
  (PLAN[day] ?? []).forEach(([from, to, project, description, billable], index) => {
    const change = variation(weeksAgo, day, index);
    if (change.skip) return;
    const start = instantOf(date, from, zone);
    const end = Math.max(start + 60, instantOf(date, to, zone) - change.trimMinutes * 60);
    if (start >= cutoff) return;
    entries.push({
      id: `${date}-${index}`,
      start: isoSeconds(start),
      end: isoSeconds(Math.min(end, cutoff)),
      project: project === null ? null : PROJECTS[project],
      description,
      billable,
      tags: billable ? ['billable'] : [],
    });
  });
  return entries;
}

/**
 * The built-in demo backend (`--demo`, `npm start`): a deterministic, realistic week relative to
 * now, with five projects (billable and not), time with no project, an entry crossing midnight
 * and a timer that has been running for 47 minutes when it first syncs (and keeps running).
 */
export const demoPlugin = defineBackendPlugin({
  name: 'dash-plugin-demo',
  apiVersion: DASH_PLUGIN_API_VERSION,
  description: 'Built-in demo data: a realistic week relative to now, no account needed',
  optionsSchema: z.strictObject({}),
  pollInterval: 60,
  createBackend(_options, context) {
    // The timer starts 47 minutes before the first sync and then runs as a real one does: every
    // later poll finds the same week, so nothing changes but the clock.
    let runningStart: number | undefined;
    return {
      async sync({ from, to }) {
        const now = Math.floor(context.now().getTime() / 1000);
        runningStart ??= Math.floor((now - RUNNING.minutesAgo * 60) / 60) * 60;
        const entries: EntryInput[] = [];
        // Start a day early: an entry of the day before may cross midnight into the range.
        const first = localDateOf(Math.floor(from.getTime() / 1000) - 86_400, context.timeZone);
        const firstStart = new Date(instantOf(first, '00:00', context.timeZone) * 1000);
        // Weeks before the current one (by now's week start) vary a little, see variation().
        const today = localDateOf(now, context.timeZone);
        const thisWeek = addDays(today, -WEEKDAYS.indexOf(weekdayOf(today)));
        const weeksAgo = (date: string) => Math.max(0, Math.round((Date.parse(thisWeek) - Date.parse(addDays(date, -WEEKDAYS.indexOf(weekdayOf(date))))) / (7 * 86_400_000)));
        for (let date = first; instantOf(date, '00:00', context.timeZone) * 1000 < to.getTime(); date = addDays(date, 1)) {
          entries.push(...entriesFor(date, context.timeZone, runningStart, weeksAgo(date)));
        }
        context.store.replaceRange({ from: firstStart, to }, entries);
        context.store.setRunning({
          id: `running-${runningStart}`,
          start: new Date(runningStart * 1000).toISOString(),
          end: null,
          project: PROJECTS[RUNNING.project],
          description: RUNNING.description,
          billable: true,
          tags: ['billable'],
        });
      },
    };
  },
});
