import { addDays, calendarDay, localDateOf, localIso, type Weekday } from 'dash-core';

/** The demo's working hours: the real clock is used inside them on a workday. */
const OPEN_MINUTE = 9 * 60 + 30;
const CLOSE_MINUTE = 17 * 60 + 30;
/** The local time the demo shows outside them: late afternoon, a day's goal nearly met. */
const DEMO_MINUTE = 16 * 60 + 40;

const minuteOfDay = (epochSeconds: number, timeZone: string) => {
  const local = localIso(epochSeconds, timeZone);
  return Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
};

/** Epoch seconds of local `minute` (minutes after midnight) on `date`, exact on DST days. */
function atMinute(date: string, minute: number, timeZone: string): number {
  const start = calendarDay(date, timeZone).start;
  let instant = start + minute * 60;
  // A DST change earlier that day moves the wall clock: correct by what it reads.
  for (let step = 0; step < 2; step++) instant += (minute - minuteOfDay(instant, timeZone)) * 60;
  return instant;
}

/**
 * The instant the demo's clock shows at `now` (epoch ms): `now` itself during working hours
 * (09:30–17:30 on a workday), else 16:40 on the last workday before now (today after 17:30), so
 * the demo's week looks like a freelancer's at any hour; null means "use the real clock".
 */
export function demoClock(nowMs: number, timeZone: string, workdays: readonly Weekday[]): number | null {
  const now = Math.floor(nowMs / 1000);
  const today = localDateOf(now, timeZone);
  const isWorkday = (date: string) => workdays.includes(calendarDay(date, timeZone).weekday);
  const minute = minuteOfDay(now, timeZone);
  if (workdays.length === 0) return null;
  if (isWorkday(today) && minute >= OPEN_MINUTE && minute < CLOSE_MINUTE) return null;
  let date = isWorkday(today) && minute >= CLOSE_MINUTE ? today : addDays(today, -1);
  while (!isWorkday(date)) date = addDays(date, -1);
  return atMinute(date, DEMO_MINUTE, timeZone) * 1000 + (nowMs % 60_000);
}
