import type { Snapshot, SnapshotProject } from 'dash-core/host';

/** Prometheus label values escape backslash, double quote and newline (text format 0.0.4). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

type Labels = Record<string, string>;

class Exposition {
  readonly #lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter', help: string, samples: [Labels, number][]): void {
    this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const text = Object.entries(labels).map(([key, item]) => `${key}="${escapeLabel(item)}"`).join(',');
      this.#lines.push(`${name}${text ? `{${text}}` : ''} ${value}`);
    }
  }

  toString(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

const projectLabels = (project: SnapshotProject): Labels => ({
  source: project.source,
  project: project.name,
  client: project.client ?? '',
  key: project.key,
});

/**
 * GET /metrics: the snapshot as Prometheus gauges (base unit seconds, `dash_` prefix): clocked-in
 * state and the running timer per source, today's and the week's tracked and billable seconds
 * (in all and per project), the goals and how far along they are, each source's last successful
 * sync; plus how many domain events this process has seen.
 */
export function prometheusText(snapshot: Snapshot, eventCounts: ReadonlyMap<string, number>): string {
  const out = new Exposition();
  const today = snapshot.days.find((day) => day.date === snapshot.today);
  const running = new Map<string, number>();
  for (const entry of snapshot.clockedIn) running.set(entry.source, Math.max(running.get(entry.source) ?? 0, entry.elapsedSeconds));
  out.family('dash_clocked_in', 'gauge', 'Whether a timer is running in the source (1) or not (0).', snapshot.sources.map((source) => [{ source: source.id }, running.has(source.id) ? 1 : 0]));
  out.family('dash_running_entry_seconds', 'gauge', 'Seconds the running timer of the source has run (0 when none runs).', snapshot.sources.map((source) => [{ source: source.id }, running.get(source.id) ?? 0]));
  out.family('dash_today_tracked_seconds', 'gauge', "Seconds tracked today (the local day), overlaps counted once.", [[{}, today?.totalSeconds ?? 0]]);
  out.family('dash_today_billable_seconds', 'gauge', 'Billable seconds tracked today.', [[{}, today?.billableSeconds ?? 0]]);
  out.family('dash_week_tracked_seconds', 'gauge', 'Seconds tracked this week, overlaps counted once.', [[{}, snapshot.week.totalSeconds]]);
  out.family('dash_week_billable_seconds', 'gauge', 'Billable seconds tracked this week.', [[{}, snapshot.week.billableSeconds]]);
  const perProject = (projects: SnapshotProject[], field: 'seconds' | 'billableSeconds') => projects.map((project): [Labels, number] => [projectLabels(project), project[field]]);
  out.family('dash_today_project_tracked_seconds', 'gauge', 'Seconds tracked today, per project.', perProject(today?.projects ?? [], 'seconds'));
  out.family('dash_today_project_billable_seconds', 'gauge', 'Billable seconds tracked today, per project.', perProject(today?.projects ?? [], 'billableSeconds'));
  out.family('dash_week_project_tracked_seconds', 'gauge', 'Seconds tracked this week, per project.', perProject(snapshot.week.projects, 'seconds'));
  out.family('dash_week_project_billable_seconds', 'gauge', 'Billable seconds tracked this week, per project.', perProject(snapshot.week.projects, 'billableSeconds'));
  const goals: [string, number, number | null | undefined][] = [
    ['daily', today?.totalSeconds ?? 0, today?.goalSeconds],
    ['daily_billable', today?.billableSeconds ?? 0, today?.billableGoalSeconds],
    ['weekly', snapshot.week.totalSeconds, snapshot.week.goalSeconds],
    ['weekly_billable', snapshot.week.billableSeconds, snapshot.week.billableGoalSeconds],
  ];
  const set = goals.filter(([, , goal]) => goal !== null && goal !== undefined) as [string, number, number][];
  out.family('dash_goal_seconds', 'gauge', "The goal's target in seconds (0 on a day without one).", set.map(([goal, , seconds]) => [{ goal }, seconds]));
  out.family('dash_goal_ratio', 'gauge', 'Tracked seconds over the goal (1 = reached; absent when the target is 0).', set.filter(([, , seconds]) => seconds > 0).map(([goal, done, seconds]) => [{ goal }, done / seconds]));
  out.family('dash_source_up', 'gauge', 'Whether the source is in status ok (1) or not (0), with its status.', snapshot.sources.map((source) => [{ source: source.id, status: source.status }, source.status === 'ok' ? 1 : 0]));
  out.family(
    'dash_source_last_sync_timestamp_seconds',
    'gauge',
    'Unix time of the last successful sync of the source.',
    snapshot.sources.filter((source) => source.lastSyncAt !== null).map((source) => [{ source: source.id }, Math.floor(Date.parse(source.lastSyncAt!) / 1000)]),
  );
  out.family('dash_events_total', 'counter', 'Domain events this process has seen, by type.', [...eventCounts].map(([type, count]) => [{ type }, count]));
  return out.toString();
}
