import type { Canvas, Cell } from './canvas.js';
import { colorIndex } from './color-index.js';

/** A color's SGR parameters (`base` 30: foreground, 40: background): the 16 named ones as 30–37 and 90–97, as blessed writes them. */
function colorCode(color: string, base: 30 | 40): string {
  const index = colorIndex(color);
  if (index < 8) return String(base + index);
  if (index < 16) return String(base + 60 + index - 8);
  return `${base + 8};5;${index}`;
}

function sgr(cell: Cell): string {
  let codes = '0';
  if (cell.bold) codes += ';1';
  if (cell.inverse) codes += ';7';
  if (cell.fg !== null) codes += `;${colorCode(cell.fg, 30)}`;
  if (cell.bg !== null) codes += `;${colorCode(cell.bg, 40)}`;
  return `\x1b[${codes}m`;
}

/**
 * The escape sequences that draw a whole canvas on a 256-color terminal, row by row from the top
 * left: what the executable shows as watch's first frame before blessed has loaded (first-frame.ts).
 * The same cells, glyphs and colors as the Terminal's (blessed's) drawing of the canvas.
 */
export function ansiFrame(canvas: Canvas): string {
  const styles = new Map<string, string>();
  let out = '';
  for (let y = 0; y < canvas.height; y++) {
    out += `\x1b[${y + 1};1H`;
    let current = '';
    for (let x = 0; x < canvas.width; x++) {
      const cell = canvas.cell(x, y)!;
      // The second cell of a wide character: the terminal moved two columns for it.
      if (cell.ch === '') continue;
      const key = `${cell.fg}|${cell.bg}|${cell.bold}|${cell.inverse}`;
      let style = styles.get(key);
      if (style === undefined) styles.set(key, (style = sgr(cell)));
      if (style !== current) out += current = style;
      out += cell.ch;
    }
  }
  return `${out}\x1b[0m`;
}
