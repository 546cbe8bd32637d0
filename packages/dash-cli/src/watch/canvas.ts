import { terminalText } from 'dash-core/snapshot';
import { displayWidth } from '../text-width.js';

/** A color: "#rrggbb", or one of the 16 terminal color names ("red", "brightblack"); null = terminal default. */
export type Color = string | null;

export interface Style {
  fg?: Color;
  bg?: Color;
  bold?: boolean;
  inverse?: boolean;
}

export interface Cell {
  ch: string;
  fg: Color;
  bg: Color;
  bold: boolean;
  inverse: boolean;
}

const blank = (): Cell => ({ ch: ' ', fg: null, bg: null, bold: false, inverse: false });

/** Plain ASCII: one column per character, no width lookup needed. */
const NARROW = /^[\x20-\x7e]*$/;

/** Texts drawn again and again (grid cells, bar glyphs, labels): their glyphs, computed once. */
const glyphCache = new Map<string, { ch: string; width: number }[]>();
const GLYPH_CACHE_MAX = 4096;
let segmenter: Intl.Segmenter | undefined;

/** The text's characters (graphemes) with their widths in columns. */
function glyphs(text: string): { ch: string; width: number }[] {
  if (NARROW.test(text)) return [...text].map((ch) => ({ ch, width: 1 }));
  const cached = glyphCache.get(text);
  if (cached) return cached;
  segmenter ??= new Intl.Segmenter();
  const result = [...segmenter.segment(text)].map(({ segment }) => ({ ch: segment, width: Math.min(2, displayWidth(segment)) }));
  if (text.length <= 64) {
    if (glyphCache.size >= GLYPH_CACHE_MAX) glyphCache.clear();
    glyphCache.set(text, result);
  }
  return result;
}

/**
 * The whole screen as a grid of styled cells: what every renderer in watch/ draws into and what
 * tests read back. Writing outside the grid is clipped, never an error. One cell per column: a
 * wide character's second cell is "". Everything written goes through terminalText, so no
 * cell ever holds a control character, whatever a backend's strings contain.
 */
export class Canvas {
  readonly width: number;
  readonly height: number;
  readonly rows: Cell[][];

  constructor(width: number, height: number) {
    this.width = Math.max(0, width);
    this.height = Math.max(0, height);
    this.rows = Array.from({ length: this.height }, () => Array.from({ length: this.width }, blank));
  }

  cell(x: number, y: number): Cell | undefined {
    return this.rows[y]?.[x];
  }

  /**
   * Writes text at (x, y); returns the column after it (clipped text still advances). A wide
   * character (CJK, emoji) takes its cell and the next, which holds "" (the terminal moves two
   * columns for it); one that would only half fit at the right edge becomes a space.
   */
  put(x: number, y: number, text: string, style: Style = {}): number {
    const row = this.rows[y];
    let column = x;
    const cell = (ch: string): Cell => ({ ch, fg: style.fg ?? null, bg: style.bg ?? null, bold: style.bold ?? false, inverse: style.inverse ?? false });
    for (const { ch, width } of glyphs(terminalText(text))) {
      if (width === 0) continue;
      if (row && column >= 0 && column < this.width) {
        if (width === 2 && column + 1 >= this.width) row[column] = cell(' ');
        else {
          row[column] = cell(ch);
          if (width === 2) row[column + 1] = cell('');
        }
      }
      column += width;
    }
    return column;
  }

  /** Changes the style of existing cells, keeping their characters. */
  restyle(x: number, y: number, width: number, style: Style): void {
    const row = this.rows[y];
    if (!row) return;
    for (let column = Math.max(0, x); column < Math.min(this.width, x + width); column++) {
      const cell = row[column]!;
      row[column] = {
        ch: cell.ch,
        fg: style.fg !== undefined ? style.fg : cell.fg,
        bg: style.bg !== undefined ? style.bg : cell.bg,
        bold: style.bold ?? cell.bold,
        inverse: style.inverse ?? cell.inverse,
      };
    }
  }

  /** The characters of one row, trailing spaces kept. */
  line(y: number): string {
    return (this.rows[y] ?? []).map((cell) => cell.ch).join('');
  }

  /** The whole screen as text, trailing spaces trimmed per line. */
  text(): string {
    return this.rows.map((_, y) => this.line(y).trimEnd()).join('\n');
  }
}
