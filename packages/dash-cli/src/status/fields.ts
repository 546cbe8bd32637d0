import { terminalText, type Snapshot } from 'dash-core/snapshot';

/**
 * The values a status line is made of, each one line of plain text (a backend's strings made
 * safe for a terminal: no control character, no line break). `--format` names them in braces.
 */
export const STATUS_FIELDS = [
  'state',
  'project',
  'client',
  'description',
  'source',
  'elapsed',
  'today',
  'todayBillable',
  'todayGoal',
  'todayPercent',
  'todayLeft',
  'todayPace',
  'week',
  'weekBillable',
  'weekGoal',
  'weekPercent',
  'weekLeft',
  'pace',
] as const;

export type StatusField = (typeof STATUS_FIELDS)[number];
export type StatusValues = Record<StatusField, string>;

/** What the presets need besides the text values. */
export interface StatusFacts {
  values: StatusValues;
  tracking: boolean;
  /** The running project's colour (#rrggbb), if it has one. */
  color: string | null;
  /** Sources that failed (error or rate-limited), with their message. */
  problems: string[];
  /** Today's share of the daily goal (else the week's of the weekly goal), 0–100; null without goals. */
  percentage: number | null;
  /** The week's pace: seconds ahead (+) or behind (−) of the goal; null without one. */
  paceSeconds: number | null;
}

/** Whole seconds as hours and minutes, "5:07"; negative with a sign, "-0:35". */
export function clock(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const minutes = Math.floor(Math.abs(seconds) / 60);
  return `${sign}${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

function signedClock(seconds: number): string {
  return seconds >= 0 ? `+${clock(seconds)}` : clock(seconds);
}

function percent(seconds: number, goal: number | null): number | null {
  return goal ? Math.floor((seconds / goal) * 100) : null;
}

/** The pace's delta of a snapshot part, when the snapshot carries one (week.pace, days[].pace). */
function paceDelta(part: object | undefined): number | null {
  const pace = (part as { pace?: { deltaSeconds?: unknown } | null } | undefined)?.pace;
  return typeof pace?.deltaSeconds === 'number' ? pace.deltaSeconds : null;
}

/** Reads a snapshot into the status line's values. */
export function statusFacts(snapshot: Snapshot): StatusFacts {
  const running = snapshot.clockedIn[0];
  const today = snapshot.days.find((day) => day.date === snapshot.today);
  const week = snapshot.week;
  const todaySeconds = today?.totalSeconds ?? 0;
  const todayGoal = today?.goalSeconds ?? null;
  const todayPercent = percent(todaySeconds, todayGoal);
  const weekPercent = percent(week.totalSeconds, week.goalSeconds);
  const problems = snapshot.sources
    .filter((source) => source.status === 'error' || source.status === 'rate-limited')
    .map((source) => terminalText(`${source.id}: ${source.error?.message ?? source.status}`));
  const paceSeconds = paceDelta(week);
  const todayPace = paceDelta(today);
  const values: StatusValues = {
    state: running ? 'tracking' : 'idle',
    project: running ? terminalText(running.project?.name ?? '(no project)') : '',
    client: terminalText(running?.project?.client ?? ''),
    description: terminalText(running?.description ?? ''),
    source: terminalText(running?.source ?? ''),
    elapsed: running ? clock(running.elapsedSeconds) : '',
    today: clock(todaySeconds),
    todayBillable: clock(today?.billableSeconds ?? 0),
    todayGoal: todayGoal ? clock(todayGoal) : '',
    todayPercent: todayPercent === null ? '' : `${todayPercent}%`,
    todayLeft: todayGoal ? clock(Math.max(0, todayGoal - todaySeconds)) : '',
    todayPace: todayPace === null ? '' : signedClock(todayPace),
    week: clock(week.totalSeconds),
    weekBillable: clock(week.billableSeconds),
    weekGoal: week.goalSeconds ? clock(week.goalSeconds) : '',
    weekPercent: weekPercent === null ? '' : `${weekPercent}%`,
    weekLeft: week.goalSeconds ? clock(Math.max(0, week.goalSeconds - week.totalSeconds)) : '',
    pace: paceSeconds === null ? '' : signedClock(paceSeconds),
  };
  const share = todayPercent ?? weekPercent;
  return {
    values,
    tracking: running !== undefined,
    color: running?.project?.color ?? null,
    problems,
    percentage: share === null ? null : Math.min(100, Math.max(0, share)),
    paceSeconds,
  };
}
