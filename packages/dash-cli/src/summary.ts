import { formatDuration, terminalText, type Snapshot } from 'dash-core';

function against(seconds: number, goal: number | null): string {
  if (goal === null || goal === 0) return formatDuration(seconds);
  return `${formatDuration(seconds)} / ${formatDuration(goal)} (${Math.floor((seconds / goal) * 100)}%)`;
}

function sourceLine(source: Snapshot['sources'][number]): string {
  switch (source.status) {
    case 'error':
      return `${source.id}: error: ${source.error?.message ?? 'unknown'}${source.error ? ` [${source.error.code}]` : ''}`;
    case 'rate-limited':
      return `${source.id}: rate-limited until ${source.rateLimitedUntil ?? '?'}`;
    case 'stale':
      return `${source.id}: stale${source.lastSyncAt ? ` (last sync ${source.lastSyncAt})` : ''}`;
    default:
      return `${source.id}: ${source.status}${source.lastSyncAt ? ` (synced ${source.lastSyncAt})` : ''}`;
  }
}

/**
 * The short human summary `dash-cli snapshot` prints without --json. Not a contract, except
 * that it is safe for a terminal: every line goes through terminalText, so a backend's string
 * (a project name, a description, an error) cannot hold a control character or break a line.
 */
export function formatSummary(snapshot: Snapshot): string {
  const today = snapshot.days.find((day) => day.date === snapshot.today);
  const width = Math.max(0, ...snapshot.week.projects.map((project) => project.name.length));
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
      lines.push(`  ${project.name.padEnd(width)}  ${formatDuration(project.seconds).padStart(8)}`);
    }
  }
  lines.push('', 'Sources:', ...snapshot.sources.map((source) => `  ${sourceLine(source)}`));
  return lines.map(terminalText).join('\n');
}
