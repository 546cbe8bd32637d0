/**
 * `cellDateTime.rawValue` is the start of a 10-minute work-diary cell, but its unit is not
 * documented (reference/upwork-api.md §2.1, §7): seen as epoch seconds, described as "seconds
 * since the beginning of the day", and other Upwork dates come as ISO strings or compact
 * "yyyyMMddHHmm". This reads every one of those forms and keeps the reading that falls on the
 * diary's own day, so a wrong guess cannot silently move time to another week.
 */

export type CellTimeForm = 'epoch-seconds' | 'epoch-milliseconds' | 'iso' | 'compact' | 'seconds-of-day' | 'milliseconds-of-day';

export interface CellTime {
  /** Epoch seconds of the cell's start. */
  seconds: number;
  form: CellTimeForm;
}

/** How far outside its UTC day a cell may start and still be believed (diaries in an offset zone). */
const SLACK = 14 * 3600;

/** "20260406" → epoch seconds of 2026-04-06T00:00Z. */
export function utcDayStart(yyyymmdd: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!match) throw new Error(`not a yyyymmdd date: ${yyyymmdd}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 1000;
}

function compact(text: string, offsetSeconds: number): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/.exec(text);
  if (!match) return undefined;
  const [y, mo, d, h, mi] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const s = match[6] === undefined ? 0 : Number(match[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - offsetSeconds;
}

function iso(text: string, offsetSeconds: number): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) return undefined;
  const zoned = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(text);
  const ms = Date.parse(zoned ? text : `${text.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) return undefined;
  return Math.floor(ms / 1000) - (zoned ? 0 : offsetSeconds);
}

/**
 * Reads a rawValue for a cell of the diary of UTC day `day` ("yyyymmdd"). `offsetSeconds` is the
 * diary's timezoneOffset, used only for forms without a zone (compact, ISO without offset,
 * time-of-day). Returns undefined when no reading lands on that day.
 */
export function parseCellTime(raw: unknown, day: string, offsetSeconds = 0): CellTime | undefined {
  const dayStart = utcDayStart(day);
  const plausible = (seconds: number | undefined): seconds is number =>
    seconds !== undefined && Number.isFinite(seconds) && seconds >= dayStart - SLACK && seconds < dayStart + 86_400 + SLACK;
  const pick = (candidates: [CellTimeForm, number | undefined][]): CellTime | undefined => {
    for (const [form, seconds] of candidates) {
      if (plausible(seconds)) return { seconds: Math.floor(seconds), form };
    }
    return undefined;
  };

  if (typeof raw === 'string') {
    const text = raw.trim();
    if (!/^-?\d+(\.\d+)?$/.test(text)) return pick([['iso', iso(text, offsetSeconds)]]);
    const fromCompact = pick([['compact', compact(text, offsetSeconds)]]);
    if (fromCompact) return fromCompact;
    return parseCellTime(Number(text), day, offsetSeconds);
  }
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return undefined;
  const localDayStart = dayStart - offsetSeconds;
  return pick([
    ['epoch-seconds', raw],
    ['epoch-milliseconds', raw / 1000],
    ['compact', Number.isInteger(raw) ? compact(String(raw), offsetSeconds) : undefined],
    ['seconds-of-day', raw >= 0 && raw < 86_400 ? localDayStart + raw : undefined],
    ['milliseconds-of-day', raw >= 0 && raw < 86_400_000 ? localDayStart + raw / 1000 : undefined],
  ]);
}
