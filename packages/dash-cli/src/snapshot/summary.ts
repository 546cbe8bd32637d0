import { formatDuration, terminalText, type Snapshot } from 'dash-core/snapshot';
import { displayWidth, padEndColumns } from '../text-width.js';

/** An instant as the config's zone shows it: "2026-11-20 14:03:05" (the zone is in the header). */
function localTime(iso: string | null, zone: string): string {
  if (!iso) return '?';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

function against(seconds: number, goal: number | null): string {
  if (goal === null || goal === 0) return formatDuration(seconds);
  return `${formatDuration(seconds)} / ${formatDuration(goal)} (${Math.floor((seconds / goal) * 100)}%)`;
}

function sourceLine(source: Snapshot['sources'][number], zone: string): string {
  switch (source.status) {
    case 'error':
      return `${source.id}: error: ${source.error?.message ?? 'unknown'}${source.error ? ` [${source.error.code}]` : ''}`;
    case 'rate-limited':
      return `${source.id}: rate-limited until ${localTime(source.rateLimitedUntil, zone)}`;
    case 'stale':
      return `${source.id}: stale${source.lastSyncAt ? ` (last sync ${localTime(source.lastSyncAt, zone)})` : ''}`;
    default:
      return `${source.id}: ${source.status}${source.lastSyncAt ? ` (synced ${localTime(source.lastSyncAt, zone)})` : ''}`;
  }
}

/**
 * The short human summary `dash-cli snapshot` prints without --json. Not a contract, except
 * that it is safe for a terminal: every line goes through terminalText, so a backend's string
 * (a project name, a description, an error) cannot hold a control character or break a line.
 * Loaded only for it (with the display-width tables); --json never imports this module.
 */
export function formatSummary(snapshot: Snapshot): string {
  const today = snapshot.days.find((day) => day.date === snapshot.today);
  // Columns, not characters: CJK and emoji names take two columns per character.
  const width = Math.max(0, ...snapshot.week.projects.map((project) => displayWidth(project.name)));
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
      lines.push(`  ${padEndColumns(project.name, width)}  ${formatDuration(project.seconds).padStart(8)}`);
    }
  }
  lines.push('', 'Sources:', ...snapshot.sources.map((source) => `  ${sourceLine(source, snapshot.timezone)}`));
  return lines.map(terminalText).join('\n');
}
