import { formatDuration, terminalText, type Snapshot } from 'dash-core/snapshot';
import { isPrintableAscii } from '../printable-ascii.js';

/**
 * An instant as the config's zone shows it: "2026-11-20 14:03:05" (the zone is in the header).
 * Inside the week, the hour row holding it gives its offset (no ICU to start: the summary is a
 * status bar's call too); before or after the week, the platform's time-zone data does.
 */
function localTime(iso: string | null, snapshot: Snapshot): string {
  if (!iso) return '?';
  const at = Date.parse(iso);
  for (const day of snapshot.days) {
    for (const row of day.hours) {
      const start = Date.parse(row.start);
      if (at >= start && at < start + 3_600_000) return new Date(at + offsetMs(row.start)).toISOString().slice(0, 19).replace('T', ' ');
    }
  }
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: snapshot.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The UTC offset of a local ISO time ("…+05:45", "…-03:00" or "…Z"), in ms. */
function offsetMs(localIso: string): number {
  const match = /([+-])(\d\d):(\d\d)$/.exec(localIso);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
}

function against(seconds: number, goal: number | null): string {
  if (goal === null || goal === 0) return formatDuration(seconds);
  return `${formatDuration(seconds)} / ${formatDuration(goal)} (${Math.floor((seconds / goal) * 100)}%)`;
}

function sourceLine(source: Snapshot['sources'][number], snapshot: Snapshot): string {
  switch (source.status) {
    case 'error':
      return `${source.id}: error: ${source.error?.message ?? 'unknown'}${source.error ? ` [${source.error.code}]` : ''}`;
    case 'rate-limited':
      return `${source.id}: rate-limited until ${localTime(source.rateLimitedUntil, snapshot)}`;
    case 'stale':
      return `${source.id}: stale${source.lastSyncAt ? ` (last sync ${localTime(source.lastSyncAt, snapshot)})` : ''}`;
    default:
      return `${source.id}: ${source.status}${source.lastSyncAt ? ` (synced ${localTime(source.lastSyncAt, snapshot)})` : ''}`;
  }
}

/**
 * The short human summary `dash-cli snapshot` prints without --json. Not a contract, except
 * that it is safe for a terminal: every line goes through terminalText, so a backend's string
 * (a project name, a description, an error) cannot hold a control character or break a line.
 * Loaded only for it; --json never imports this module, and the display-width tables (whose
 * start-up is most of a status bar's call) load only for a project name that is not plain ASCII.
 */
export async function formatSummary(snapshot: Snapshot): Promise<string> {
  const today = snapshot.days.find((day) => day.date === snapshot.today);
  // Columns, not characters: CJK and emoji names take two columns per character.
  const names = snapshot.week.projects.map((project) => project.name);
  const displayWidth = names.every(isPrintableAscii) ? (text: string) => text.length : (await import('../text-width.js')).displayWidth;
  const width = Math.max(0, ...names.map(displayWidth));
  const padEnd = (text: string) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
  const lines = [
    `Week ${snapshot.week.start} – ${snapshot.week.end} (${snapshot.timezone})`,
    `  Worked    ${against(snapshot.week.totalSeconds, snapshot.week.goalSeconds)}`,
    `  Billable  ${against(snapshot.week.billableSeconds, snapshot.week.billableGoalSeconds)}`,
  ];
  if (today) lines.push(`  Today     ${against(today.totalSeconds, today.goalSeconds)}`);
  lines.push('');
  if (snapshot.clockedIn.length === 0) lines.push('Not tracking.');
  for (const running of snapshot.clockedIn) {
    const what = [running.project?.name ?? '(no project)', running.description].filter(Boolean).join(' — ');
    lines.push(`Clocked in (${running.source}): ${what}, ${formatDuration(running.elapsedSeconds)}`);
  }
  if (snapshot.week.projects.length > 0) {
    lines.push('', 'Projects this week:');
    for (const project of snapshot.week.projects) {
      lines.push(`  ${padEnd(project.name)}  ${formatDuration(project.seconds).padStart(8)}`);
    }
  }
  lines.push('', 'Sources:', ...snapshot.sources.map((source) => `  ${sourceLine(source, snapshot)}`));
  return lines.map(terminalText).join('\n');
}
