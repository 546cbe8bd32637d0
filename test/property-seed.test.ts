/**
 * Property tests run with a fresh seed each run, printed, and repeatable with FC_SEED: every
 * file that calls fast-check takes the run's seed (test/support/fc-seed.ts) and pins none.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { FC_SEED } from './support/fc-seed.js';
import { chooseSeed } from './support/seed.js';

const ROOT = resolve(import.meta.dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    if (item.name === 'node_modules' || item.name === 'dist' || item.name.startsWith('.')) return [];
    const path = join(dir, item.name);
    return item.isDirectory() ? testFiles(path) : item.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('fast-check seeds', () => {
  it('every file that calls fc.assert or fc.check imports the run seed and pins no seed of its own', () => {
    const roots = ['test', ...['packages', 'examples'].flatMap((group) => readdirSync(join(ROOT, group)).map((name) => join(group, name, 'test')))];
    const files = roots.flatMap((dir) => {
      try {
        return testFiles(join(ROOT, dir));
      } catch {
        return [];
      }
    });
    const users = files.filter((file) => /\bfc\.(assert|check)\(/.test(readFileSync(file, 'utf8')));
    expect(users.length).toBeGreaterThanOrEqual(4);
    for (const file of users) {
      const source = readFileSync(file, 'utf8');
      expect(source, relative(ROOT, file)).toMatch(/'(?:(?:\.\.\/)+test\/|\.\/)support\/fc-seed\.js'/);
      expect(source, relative(ROOT, file)).not.toMatch(/\bseed:/);
    }
  });

  it('uses the seed the run chose (and printed) for every property', () => {
    expect(FC_SEED).toBe(inject('fcSeed'));
    expect(fc.readConfigureGlobal().seed).toBe(FC_SEED);
  });

  it('takes FC_SEED to repeat a run, a fresh seed without it, and refuses a seed that is not an integer', () => {
    expect(chooseSeed('20261122')).toBe(20261122);
    expect(chooseSeed('-7')).toBe(-7);
    const fresh = new Set(Array.from({ length: 5 }, () => chooseSeed('')));
    expect(fresh.size).toBeGreaterThan(1);
    expect(() => chooseSeed('abc')).toThrow('FC_SEED must be an integer, not "abc"');
    expect(() => chooseSeed('1.5')).toThrow('FC_SEED must be an integer');
  });
});
