import type { Color } from './canvas.js';

/**
 * Colors and glyphs. With color, a project is its backend's (or the config's) color, else a
 * color hashed from its key, so the same project keeps its color in every week and view. Without
 * color (NO_COLOR, --no-color), projects are told apart by glyph, shown in the legend.
 */

/** Distinct, readable on dark and light backgrounds; each survives the reduction to 256 and 16 colors. */
export const HASH_PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948',
  '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#17becf', '#bcbd22',
] as const;

/** Glyphs for projects in monochrome, in legend order; then they repeat. */
export const MONO_GLYPHS = ['█', '▓', '▒', '░', '#', '=', '+', '*', '%', '@', 'o', 'x', '~', ':'] as const;

export const THEME = {
  /** An empty minute in the day graph. */
  emptyMinute: '#303030',
  /** An empty minute on the quarter hour, so the grid reads like a ruler. */
  emptyQuarter: '#4e4e4e',
  /** The current minute. */
  now: '#ffffff',
  /** Empty part of a bar, up to the goal. */
  barEmpty: '#444444',
  goalMarker: '#ffffff',
  dim: '#8a8a8a',
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  accent: 'cyan',
} as const;

/** FNV-1a, 32 bit: a stable hash of a project key. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const HEX = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i;

/** "#abc" / "abc" / "#AABBCC" → "#aabbcc"; anything else → null. */
export function normalizeHex(color: string | null | undefined): string | null {
  if (!color) return null;
  const match = HEX.exec(color.trim());
  if (!match) return null;
  const digits = match[1]!.toLowerCase();
  return `#${digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits}`;
}

/** A project's color: its own (backend or config), else the hashed one. */
export function projectColor(project: { key: string; color: string | null }): string {
  return normalizeHex(project.color) ?? HASH_PALETTE[hashKey(project.key) % HASH_PALETTE.length]!;
}

/** How a project is drawn: in color a full block in its color; in mono its glyph. */
export interface ProjectPaint {
  glyph: string;
  color: Color;
}

export interface Painter {
  mono: boolean;
  /** Paint for a project key (unknown keys get a hashed color / the last glyph). */
  project(key: string): ProjectPaint;
  /** A theme color, or null in monochrome. */
  theme(name: keyof typeof THEME): Color;
}

/** Paints for the projects of a week, in legend order. */
export function createPainter(projects: readonly { key: string; color: string | null }[], options: { mono: boolean }): Painter {
  const byKey = new Map<string, ProjectPaint>();
  projects.forEach((project, index) => {
    byKey.set(project.key, options.mono ? { glyph: MONO_GLYPHS[index % MONO_GLYPHS.length]!, color: null } : { glyph: '█', color: projectColor(project) });
  });
  return {
    mono: options.mono,
    project(key) {
      const known = byKey.get(key);
      if (known) return known;
      const paint = options.mono ? { glyph: '?', color: null } : { glyph: '█', color: projectColor({ key, color: null }) };
      byKey.set(key, paint);
      return paint;
    },
    theme(name) {
      return options.mono ? null : THEME[name];
    },
  };
}

/**
 * Monochrome: --no-color; else FORCE_COLOR decides when set (0 or false: mono, any other value:
 * color, over NO_COLOR, as in Node and npm); else NO_COLOR (any non-empty value, no-color.org).
 */
export function wantsMono(env: NodeJS.ProcessEnv, colorOption: boolean | undefined): boolean {
  if (colorOption === false) return true;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force === '0' || force === 'false';
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}
