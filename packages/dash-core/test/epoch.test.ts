import { describe, expect, it } from 'vitest';
import { fromEpochSeconds, toEpochSeconds } from '../src/epoch.js';

describe('epoch seconds', () => {
  it('drops the sub-second part instead of rounding: 9.6 s is 9 s, 9.4 s is 9 s', () => {
    expect(toEpochSeconds('1970-01-01T00:00:09.600Z')).toBe(9);
    expect(toEpochSeconds('1970-01-01T00:00:09.400Z')).toBe(9);
    expect(toEpochSeconds('2026-11-18T10:00:00.999Z')).toBe(Date.parse('2026-11-18T10:00:00Z') / 1000);
  });

  it('reads an offset instant as the same UTC second', () => {
    expect(toEpochSeconds('2026-11-18T11:00:00+01:00')).toBe(toEpochSeconds('2026-11-18T10:00:00Z'));
  });

  it('writes whole seconds as an ISO instant in UTC without milliseconds', () => {
    expect(fromEpochSeconds(9)).toBe('1970-01-01T00:00:09Z');
    expect(fromEpochSeconds(toEpochSeconds('2026-11-18T10:00:09.600Z'))).toBe('2026-11-18T10:00:09Z');
  });
});
