/** Upwork's work-diary days are UTC dates written "yyyyMMdd" (reference §2.2, §2.6). */

const DAY = 86_400;

export function utcDayOf(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds / DAY) * DAY * 1000).toISOString().slice(0, 10).replaceAll('-', '');
}

export function utcDayStartOf(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))) / 1000;
}

/** The UTC days that overlap [from, to): a local week in New York or Kolkata spans 8 of them. */
export function utcDaysCovering(from: Date, to: Date): string[] {
  const first = Math.floor(from.getTime() / 1000 / DAY);
  const last = Math.floor((Math.ceil(to.getTime() / 1000) - 1) / DAY);
  const days: string[] = [];
  for (let day = first; day <= last; day++) days.push(utcDayOf(day * DAY));
  return days;
}
