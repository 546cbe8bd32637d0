/**
 * Hex colors to the xterm 256-color palette. blessed's own matcher maps greys such as #3a3a3a to
 * black (index 0), which would make empty minutes invisible; this picks the nearest of the 6×6×6
 * cube (16–231) and the grey ramp (232–255) by distance in RGB.
 */
const CUBE = [0, 95, 135, 175, 215, 255];

function nearestCube(value: number): number {
  let best = 0;
  for (let index = 1; index < CUBE.length; index++) if (Math.abs(CUBE[index]! - value) < Math.abs(CUBE[best]! - value)) best = index;
  return best;
}

const distance = (a: readonly number[], b: readonly number[]) => (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2 + (a[2]! - b[2]!) ** 2;

/** "#rrggbb" → 16..255. */
export function hexTo256(hex: string): number {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  const rgb = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff] as const;
  const cube = rgb.map(nearestCube);
  const cubeRgb = cube.map((index) => CUBE[index]!);
  const cubeIndex = 16 + 36 * cube[0]! + 6 * cube[1]! + cube[2]!;
  const average = (rgb[0] + rgb[1] + rgb[2]) / 3;
  const grey = Math.max(0, Math.min(23, Math.round((average - 8) / 10)));
  const greyValue = 8 + 10 * grey;
  return distance(rgb, [greyValue, greyValue, greyValue]) < distance(rgb, cubeRgb) ? 232 + grey : cubeIndex;
}

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

/** A Color ("#rrggbb", or one of the 16 names: "red", "brightblack") → its index in the 256-color palette. */
export function colorIndex(color: string): number {
  if (color.startsWith('#')) return hexTo256(color);
  const bright = color.startsWith('bright');
  const index = NAMES.indexOf(bright ? color.slice(6) : color);
  if (index === -1) throw new Error(`not a terminal color name: ${color}`);
  return bright ? index + 8 : index;
}

/**
 * Whether the environment says the terminal shows 256 colors (TERM …-256color or …-direct,
 * COLORTERM truecolor): trusted over blessed's terminfo reading (terminal.ts), and what watch's
 * first frame needs to be drawn at all (first-frame.ts).
 */
export function says256Colors(env: NodeJS.ProcessEnv): boolean {
  return /256|direct/.test(env.TERM ?? '') || /truecolor|24bit/i.test(env.COLORTERM ?? '');
}
