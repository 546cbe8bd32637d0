import { describe, expect, it } from 'vitest';
import { clampServerWait, MAX_SERVER_WAIT_MS, parseBoundedDuration, parseInstant } from '../src/bounds.js';
import { fromEpochSeconds } from '../src/epoch.js';

describe('parseInstant: ISO 8601 instants with a date, a time and an offset, 1970–9999', () => {
  it('accepts Z, ±hh:mm, ±hhmm, minutes only and fractions', () => {
    expect(parseInstant('2026-11-20T15:30:00Z')?.toISOString()).toBe('2026-11-20T15:30:00.000Z');
    expect(parseInstant('2026-11-20T16:30+01:00')?.toISOString()).toBe('2026-11-20T15:30:00.000Z');
    expect(parseInstant('2026-11-20T10:30:00.250-0500')?.toISOString()).toBe('2026-11-20T15:30:00.250Z');
    expect(parseInstant('1970-01-01T00:00:00Z')?.getTime()).toBe(0);
    expect(parseInstant('9999-12-31T23:59:59Z')?.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  it.each([
    ['0'],
    ['1700000000'],
    ['2026-11-20'],
    ['2026-11-20T15:30:00'],
    ['+275760-09-13T00:00:00Z'],
    ['1969-12-31T23:59:59Z'],
    ['2026-02-30T10:00:00Z'],
    ['2026-11-20T24:00:00Z'],
    ['2026-11-20T15:30:00+25:00'],
    ['yesterday'],
    [''],
  ])('rejects %j', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});

describe('parseBoundedDuration', () => {
  it('takes duration text or whole seconds within the bounds', () => {
    expect(parseBoundedDuration('30s', { min: 1, max: 600 })).toEqual({ ok: true, seconds: 30 });
    expect(parseBoundedDuration('10m', { min: 1, max: 600 })).toEqual({ ok: true, seconds: 600 });
    expect(parseBoundedDuration('45', { max: 600 })).toEqual({ ok: true, seconds: 45 });
  });

  it('says why a value is refused', () => {
    expect(parseBoundedDuration('25d', { min: 1, max: 600 })).toEqual({ ok: false, reason: 'too-large' });
    expect(parseBoundedDuration('1'.repeat(400), { max: 600 })).toEqual({ ok: false, reason: 'invalid' });
    expect(parseBoundedDuration('0', { min: 1, max: 600 })).toEqual({ ok: false, reason: 'too-small' });
    expect(parseBoundedDuration('-5', { max: 600 })).toEqual({ ok: false, reason: 'invalid' });
    expect(parseBoundedDuration('soon', { max: 600 })).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('server-given waits and unrepresentable instants', () => {
  it('clamps a wait to [0, 1 h]', () => {
    expect(clampServerWait(999_999_999_999 * 1000)).toBe(MAX_SERVER_WAIT_MS);
    expect(clampServerWait(-5)).toBe(0);
    expect(clampServerWait(Number.NaN)).toBe(0);
    expect(clampServerWait(90_000)).toBe(90_000);
  });

  it('fromEpochSeconds gives a text no instant check accepts instead of throwing', () => {
    expect(() => fromEpochSeconds(Number.NaN)).not.toThrow();
    expect(parseInstant(fromEpochSeconds(1e15))).toBeUndefined();
    expect(fromEpochSeconds(0)).toBe('1970-01-01T00:00:00Z');
  });
});

describe('durations in the config are bounded too', () => {
  it('a goal is at most a week (168 h), an interval at most 7 days', async () => {
    const { hoursOrDuration, secondsOrDuration } = await import('../src/duration.js');
    expect(hoursOrDuration.parse(40)).toBe(144_000);
    expect(hoursOrDuration.parse('168h')).toBe(604_800);
    expect(hoursOrDuration.safeParse(1e308).error?.issues[0]?.message).toBe('must be at most 168 hours (a week)');
    expect(hoursOrDuration.safeParse('9999999d').success).toBe(false);
    expect(secondsOrDuration.parse('5m')).toBe(300);
    expect(secondsOrDuration.safeParse('25d').error?.issues[0]?.message).toBe('must be at most 7 days');
  });
});
