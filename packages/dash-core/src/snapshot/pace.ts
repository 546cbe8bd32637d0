/**
 * Goal pace (README § Snapshot JSON, `pace`): how much of a goal the elapsed working time
 * calls for by now, how far ahead or behind the tracked time is, and when the goal is (or was)
 * reached.
 *
 * The rule, the same for a day and for the week:
 * - Working window: 09:00–17:00 local wall clock on every workday (config `workdays`, Monday to
 *   Friday by default). Its start is the first hour row of the day whose local hour is 9 or
 *   later, its end the first whose hour is 17 or later, so DST days are exact.
 * - A day's expected seconds grow linearly through its window: goal × elapsed ÷ window
 *   (floored), 0 before 09:00, the whole goal from 17:00 on. A day that is over or in the
 *   future is 100% or 0% elapsed.
 * - The week's goal is spread evenly over its workdays: expected = weekly goal × (sum of the
 *   workdays' elapsed fractions) ÷ number of workdays (floored). No workdays: expected is 0.
 * - deltaSeconds = worked − expected (negative = behind).
 * - goalReachedAt: the instant the tracked time (each second counted once, as in the totals)
 *   reached the goal; else, while clocked in at the snapshot's instant and inside the day
 *   (week), now + the seconds still missing, since a running timer adds one second per second,
 *   when that instant is before the day (week) ends; else null. A goal of 0 has none.
 */

/** The pace of one goal at the snapshot's instant. */
export interface Pace {
  expectedSeconds: number;
  deltaSeconds: number;
  /** ISO instant (UTC). */
  goalReachedAt: string | null;
}

/** Local wall-clock hours the working window spans, [from, to). */
export const WORK_WINDOW_HOURS = { from: 9, to: 17 } as const;

/** A span of epoch seconds, [start, end). */
export interface Span {
  start: number;
  end: number;
}

/**
 * The working window of a local day from its hour rows (row i starts at day.start + i × 3600;
 * `start` is its local time, e.g. "2026-04-05T08:30:00+10:30"). Local 09:00 may fall inside a row
 * (a day with a half-hour clock change), or be skipped by a clock change (the window then starts
 * at the first row after it).
 */
export function workWindowOf(day: Span, hours: readonly { start: string }[]): Span {
  const at = (hour: number) => {
    const target = hour * 60;
    for (let row = 0; row < hours.length; row++) {
      const local = localMinuteOf(hours[row]!.start);
      if (local + 60 > target) return Math.min(day.end, day.start + row * 3600 + Math.max(0, target - local) * 60);
    }
    return day.end;
  };
  const start = at(WORK_WINDOW_HOURS.from);
  return { start, end: Math.max(start, at(WORK_WINDOW_HOURS.to)) };
}

/** Minutes after local midnight of an ISO local time ("…T08:30:00+10:30" → 510). */
function localMinuteOf(localIso: string): number {
  const time = localIso.indexOf('T') + 1;
  return Number(localIso.slice(time, time + 2)) * 60 + Number(localIso.slice(time + 3, time + 5));
}

/** Seconds of the window that have passed at `now` (0 to its length). */
export function elapsedIn(window: Span, now: number): number {
  return Math.min(window.end, Math.max(window.start, now)) - window.start;
}

/**
 * The instant the counted time inside [from, to) reaches `goal` seconds, from segments that never
 * overlap (sorted or not), or null.
 */
export function reachedAt(segments: readonly Span[], from: number, to: number, goal: number): number | null {
  if (goal <= 0) return null;
  let counted = 0;
  const inside = segments
    .map((segment) => ({ start: Math.max(segment.start, from), end: Math.min(segment.end, to) }))
    .filter((segment) => segment.end > segment.start)
    .sort((a, b) => a.start - b.start);
  for (const segment of inside) {
    const length = segment.end - segment.start;
    if (counted + length >= goal) return segment.start + (goal - counted);
    counted += length;
  }
  return null;
}

export interface PaceInput {
  /** The goal in seconds. */
  goal: number;
  /** Seconds counted so far in the span (each second once). */
  worked: number;
  /** Expected seconds by now (see expectedForDay / expectedForWeek). */
  expected: number;
  /** The day or week, [start, end). */
  span: Span;
  /** The snapshot's instant (epoch seconds). */
  now: number;
  /** Whether a timer runs at `now`. */
  clockedIn: boolean;
  /** The counted stretches of time (cut at now), never overlapping. */
  segments: readonly Span[];
}

export function expectedForDay(goal: number, window: Span, now: number): number {
  const length = window.end - window.start;
  if (length <= 0) return now >= window.end ? goal : 0;
  return Math.floor((goal * elapsedIn(window, now)) / length);
}

/** The weekly goal spread evenly over the workdays' windows. */
export function expectedForWeek(goal: number, windows: readonly Span[], now: number): number {
  if (windows.length === 0) return 0;
  const lengths = windows.map((window) => window.end - window.start);
  const elapsed = windows.map((window) => elapsedIn(window, now));
  if (lengths.every((length) => length === lengths[0] && length > 0)) {
    // The usual case, in integers: goal × Σ elapsed ÷ (n × window).
    const total = elapsed.reduce((acc, value) => acc + value, 0);
    return Math.floor((goal * total) / (windows.length * lengths[0]!));
  }
  const fractions = windows.reduce((acc, window, index) => acc + (lengths[index]! > 0 ? elapsed[index]! / lengths[index]! : now >= window.end ? 1 : 0), 0);
  return Math.min(goal, Math.floor((goal * fractions) / windows.length + 1e-9));
}

/** The pace for one goal (a snapshot without a goal has none). */
export function paceOf(input: PaceInput, iso: (epochSeconds: number) => string): Pace {
  const { goal, worked, expected, span, now } = input;
  let reached = worked >= goal ? reachedAt(input.segments, span.start, Math.min(span.end, now), goal) : null;
  if (reached === null && goal > 0 && worked < goal && input.clockedIn && now >= span.start && now < span.end) {
    const at = now + (goal - worked);
    if (at <= span.end) reached = at;
  }
  return { expectedSeconds: expected, deltaSeconds: worked - expected, goalReachedAt: reached === null ? null : iso(reached) };
}
