import fc from 'fast-check';
import { numRuns } from '../../../test/support/fc-seed.js';
import { describe, expect, it } from 'vitest';
import { allocateCells, layoutBar } from '../src/watch/bar.js';

describe('allocateCells (largest remainder)', () => {
  it('keeps small parts that plain rounding drops', () => {
    // blessed-contrib's stackedBar drew only the 59 for [59, 1] and only the 5 for [0.2, 0.1, 5].
    expect(allocateCells([59, 1], 10)).toEqual([9, 1]);
    expect(allocateCells([0.2, 0.1, 5], 20)).toEqual([1, 1, 18]);
    expect(allocateCells([3, 2, 1], 12)).toEqual([6, 4, 2]);
  });

  it('gives leftover cells to the largest remainders', () => {
    expect(allocateCells([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(allocateCells([5, 3, 2], 7)).toEqual([4, 2, 1]);
  });

  it('zero values get nothing; fewer cells than values go to the largest', () => {
    expect(allocateCells([0, 4, 0], 5)).toEqual([0, 5, 0]);
    expect(allocateCells([1, 5, 3], 2)).toEqual([0, 1, 1]);
    expect(allocateCells([], 5)).toEqual([]);
    expect(allocateCells([1, 2], 0)).toEqual([0, 0]);
  });

  it('always sums to the cells and keeps every non-zero value when there is room', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 12 }), fc.integer({ min: 0, max: 300 }), (values, cells) => {
        const alloc = allocateCells(values, cells);
        const nonzero = values.filter((v) => v > 0).length;
        const sum = alloc.reduce((a, b) => a + b, 0);
        if (nonzero === 0) return sum === 0;
        if (sum !== cells) return false;
        if (cells >= nonzero) return values.every((v, i) => (v > 0 ? alloc[i]! >= 1 : alloc[i] === 0));
        return alloc.every((a) => a <= 1);
      }),
      { numRuns: numRuns(100) },
    );
  });
});

describe('layoutBar', () => {
  it('scales to the goal and places the marker at it', () => {
    const bar = layoutBar([{ key: 'a', seconds: 10 * 3600 }, { key: 'b', seconds: 10 * 3600 }], 40 * 3600, 40);
    expect(bar.goalAt).toBe(40);
    expect(bar.cells.filter((c) => c === 'a')).toHaveLength(10);
    expect(bar.cells.filter((c) => c === 'b')).toHaveLength(10);
    expect(bar.cells.filter((c) => c === null)).toHaveLength(20);
    expect(bar.overflowCells).toBe(0);
  });

  it('past the goal, scales to the total and shows the overflow after the marker', () => {
    const bar = layoutBar([{ key: 'a', seconds: 50 * 3600 }], 40 * 3600, 50);
    expect(bar.goalAt).toBe(40);
    expect(bar.cells.every((c) => c === 'a')).toBe(true);
    expect(bar.overflowCells).toBe(10);
  });

  it('a tiny project still gets its cell', () => {
    const bar = layoutBar([{ key: 'big', seconds: 39 * 3600 }, { key: 'tiny', seconds: 60 }], 40 * 3600, 30);
    expect(bar.cells).toContain('tiny');
  });

  it('no goal: scaled to the total, no marker', () => {
    const bar = layoutBar([{ key: 'a', seconds: 3600 }], null, 10);
    expect(bar.goalAt).toBeNull();
    expect(bar.cells).toEqual(Array(10).fill('a'));
  });
});
