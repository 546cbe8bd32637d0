/**
 * Display width in terminal columns, not string length: CJK characters and emoji take two
 * columns, combining marks none. Only the terminal paths (the human summary, the dashboard)
 * import this module, lazily, so `snapshot --json` never loads the width tables.
 */
import stringWidth from 'string-width';
import { isPrintableAscii } from './printable-ascii.js';

/** How many widths of non-ASCII text are kept before the memory starts afresh. */
const KEPT = 4096;
const widths = new Map<string, number>();

/**
 * Columns `text` takes in a terminal. string-width costs ~25 µs a call (grapheme segmentation and
 * emoji patterns), and a frame asks for the same few strings (▰, " · ", "—", project names) many
 * times: a non-ASCII text's width is remembered (it never changes).
 */
export function displayWidth(text: string): number {
  if (isPrintableAscii(text)) return text.length;
  let width = widths.get(text);
  if (width === undefined) {
    if (widths.size >= KEPT) widths.clear();
    width = stringWidth(text);
    widths.set(text, width);
  }
  return width;
}

/** `text` padded with spaces on the right to `columns` columns (unchanged when wider). */
export function padEndColumns(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - displayWidth(text)));
}

/** `text` cut to at most `columns` columns, never through a wide character or a grapheme. */
export function truncateColumns(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  if (isPrintableAscii(text)) return text.slice(0, columns);
  let out = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const width = displayWidth(segment);
    if (used + width > columns) break;
    out += segment;
    used += width;
  }
  return out;
}
