/**
 * Reading Timewarrior's data files: one `YYYY-MM.data` file per month, one interval per line
 * (Timewarrior's `Interval::serialize`):
 *
 *   inc 20261120T081500Z - 20261120T093000Z # acme "tag 2" # "an annotation"
 *   inc 20261122T091000Z # acme                  (open: no end, the timer is running)
 *
 * Tags are sorted, separated by spaces, double-quoted (with \" and \\ escapes) when they hold a
 * space or a quote; a second `#` starts the annotation.
 */

/**
 * @typedef {object} Interval
 * @property {string} start  ISO instant, e.g. "2026-11-20T08:15:00Z"
 * @property {string | null} end  null while the interval is open (tracking now)
 * @property {string[]} tags
 * @property {string} annotation  "" when there is none
 */

const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * "20261120T081500Z" → "2026-11-20T08:15:00Z"; undefined when it is not one.
 * @param {string} stamp
 * @returns {string | undefined}
 */
export function isoOf(stamp) {
  const match = STAMP.exec(stamp);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
}

/**
 * Splits a line into words, keeping "quoted strings" (with \" and \\ escapes) together.
 * @param {string} text
 * @returns {{ value: string, quoted: boolean }[]}
 */
function words(text) {
  /** @type {{ value: string, quoted: boolean }[]} */
  const out = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ' || text[i] === '\t') {
      i++;
      continue;
    }
    if (text[i] === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      i++;
      out.push({ value, quoted: true });
      continue;
    }
    let value = '';
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t') value += text[i++];
    out.push({ value, quoted: false });
  }
  return out;
}

/**
 * One line of a data file; undefined for lines that are not intervals (blank, unknown).
 * @param {string} line
 * @returns {Interval | undefined}
 */
export function parseLine(line) {
  const parts = words(line.trim());
  if (parts[0]?.value !== 'inc' || parts[0].quoted) return undefined;
  const start = isoOf(parts[1]?.value ?? '');
  if (!start) return undefined;
  let at = 2;
  /** @type {string | null} */
  let end = null;
  if (parts[at]?.value === '-' && !parts[at].quoted) {
    const parsed = isoOf(parts[at + 1]?.value ?? '');
    if (!parsed) return undefined;
    end = parsed;
    at += 2;
  }
  /** @type {string[]} */
  const tags = [];
  let annotation = '';
  if (parts[at]?.value === '#' && !parts[at].quoted) {
    at++;
    for (; at < parts.length; at++) {
      const part = /** @type {{ value: string, quoted: boolean }} */ (parts[at]);
      if (part.value === '#' && !part.quoted) {
        annotation = parts.slice(at + 1).map((rest) => rest.value).join(' ');
        break;
      }
      tags.push(part.value);
    }
  }
  return { start, end, tags, annotation };
}

/**
 * Every interval in a data file's text, and how many lines could not be read.
 * @param {string} text
 * @returns {{ intervals: Interval[], skipped: number }}
 */
export function parseDataFile(text) {
  /** @type {Interval[]} */
  const intervals = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const interval = parseLine(line);
    if (interval) intervals.push(interval);
    else skipped++;
  }
  return { intervals, skipped };
}
