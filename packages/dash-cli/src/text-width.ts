/**
 * Display width in terminal columns, not string length: CJK characters and emoji take two
 * columns, combining marks none. Only the terminal paths (the human summary, the dashboard)
 * import this module, lazily, so `snapshot --json` never loads the width tables.
 */
import { createRequire } from 'node:module';
import { eastAsianWidth } from 'get-east-asian-width';
import { isPrintableAscii } from './printable-ascii.js';

let stringWidth: ((text: string) => number) | undefined;

/**
 * string-width, loaded on the first text that needs it: only loading it compiles its emoji
 * patterns (~45 ms), which a dashboard of plain names never needs. require() of an ES module
 * (Node ≥ 20.19, without a warning) keeps displayWidth synchronous.
 */
function fullWidth(text: string): number {
  stringWidth ??= (createRequire(import.meta.url)('string-width') as { default: (text: string) => number }).default;
  return stringWidth(text);
}

/**
 * A visible code point that is a grapheme of its own: no mark, control or format character (those
 * join or vanish in clusters), and none of the three letters below U+1100 that join a neighbour
 * (Grapheme_Cluster_Break Prepend: U+0D4E; SpacingMark: Thai and Lao SARA AM, U+0E33, U+0EB3).
 */
const PLAIN = /^[^\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Mark}\p{Surrogate}\u0D4E\u0E33\u0EB3]$/u;

/**
 * The width of a text made only of printable ASCII and single code points of Latin, Greek,
 * Cyrillic, the punctuation, arrows, box drawing, blocks and shapes (below U+1100, or
 * U+2000–U+2E7F), marks and joiners left out: each is a grapheme of its own, as wide as its East
 * Asian width (an emoji-presentation symbol such as ⌚ is W, a text one such as ▶ is not), as
 * string-width would say (text-width.test.ts checks every one). Undefined for any other
 * text. Spares the dashboard string-width (see fullWidth).
 */
function plainWidth(text: string): number | undefined {
  let width = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code <= 0x7e) width += 1;
    else if ((code < 0x1100 || (code >= 0x2000 && code < 0x2e80)) && PLAIN.test(text[index]!)) width += eastAsianWidth(code);
    else return undefined;
  }
  return width;
}

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
    width = plainWidth(text) ?? fullWidth(text);
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
