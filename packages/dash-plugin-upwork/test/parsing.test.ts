import { describe, expect, it } from 'vitest';
import { parseCellTime } from '../src/cell-time.js';
import { mergeCells } from '../src/cells.js';
import { parseDesktopLog } from '../src/desktop-log.js';
import { deniedFields, permissionsFor } from '../src/scopes.js';
import { utcDaysCovering } from '../src/utc-days.js';

const DAY = '20261118';
const T = Date.UTC(2026, 10, 18, 15, 40) / 1000; // 2026-11-18T15:40:00Z

describe('parseCellTime', () => {
  it.each([
    ['epoch seconds (string)', String(T), 'epoch-seconds'],
    ['epoch seconds (number)', T, 'epoch-seconds'],
    ['epoch milliseconds', T * 1000, 'epoch-milliseconds'],
    ['epoch milliseconds (string)', String(T * 1000), 'epoch-milliseconds'],
    ['ISO with Z', '2026-11-18T15:40:00Z', 'iso'],
    ['ISO with offset', '2026-11-18T21:10:00+05:30', 'iso'],
    ['ISO without zone (UTC)', '2026-11-18T15:40:00', 'iso'],
    ['yyyyMMddHHmm', '202611181540', 'compact'],
    ['yyyyMMddHHmmss', '20261118154000', 'compact'],
    ['yyyyMMddHHmm (number)', 202611181540, 'compact'],
    ['seconds of the day', 15 * 3600 + 40 * 60, 'seconds-of-day'],
    ['milliseconds of the day', (15 * 3600 + 40 * 60) * 1000, 'milliseconds-of-day'],
  ])('%s', (_label, raw, form) => {
    expect(parseCellTime(raw, DAY)).toEqual({ seconds: T, form });
  });

  it('applies the diary offset only to forms without a zone', () => {
    expect(parseCellTime('202611182110', DAY, 19_800)?.seconds).toBe(T);
    expect(parseCellTime(String(T), DAY, 19_800)?.seconds).toBe(T);
  });

  it('refuses readings that do not land on the diary day', () => {
    expect(parseCellTime(String(T + 5 * 86_400), DAY)).toBeUndefined();
    expect(parseCellTime('yesterday', DAY)).toBeUndefined();
    expect(parseCellTime(null, DAY)).toBeUndefined();
    expect(parseCellTime('2026-11-25T10:00:00Z', DAY)).toBeUndefined();
  });
});

describe('mergeCells', () => {
  it('merges consecutive cells of one kind, splits on gaps, manual time, memo and contract', () => {
    const cell = (start: number, extra: object = {}) => ({ contractId: 'a', start, manual: false, overtime: false, memo: '', ...extra });
    const blocks = mergeCells([cell(T + 600), cell(T), cell(T + 1200, { manual: true }), cell(T + 2400), cell(T + 3000, { memo: 'x' }), cell(T, { contractId: 'b' }), cell(T)]);
    expect(blocks.map((block) => [block.contractId, block.start - T, block.end - T, block.manual])).toEqual([
      ['a', 0, 1200, false],
      ['a', 1200, 1800, true],
      ['a', 2400, 3000, false],
      ['a', 3000, 3600, false],
      ['b', 0, 600, false],
    ]);
  });
});

describe('utcDaysCovering', () => {
  it('a local week in New York spans 8 UTC days, in UTC 7', () => {
    expect(utcDaysCovering(new Date('2026-11-16T05:00:00Z'), new Date('2026-11-23T05:00:00Z'))).toHaveLength(8);
    expect(utcDaysCovering(new Date('2026-11-16T00:00:00Z'), new Date('2026-11-23T00:00:00Z'))).toEqual([
      '20261116', '20261117', '20261118', '20261119', '20261120', '20261121', '20261122',
    ]);
  });
});

describe('parseDesktopLog', () => {
  const now = Date.parse('2026-11-20T18:00:00Z') / 1000;
  it('tracking when the newest upload is within 12 minutes', () => {
    const reading = parseDesktopLog('[2026-11-20T17:49:00Z] TRACKER_UPLOAD_STARTED\n', now);
    expect(reading).toMatchObject({ tracking: true });
    expect(parseDesktopLog('[2026-11-20T17:47:59Z] TRACKER_UPLOAD_STARTED\n', now)).toMatchObject({ tracking: false });
  });
  it('reads lastTimeWorked and a stop event', () => {
    expect(parseDesktopLog(`{"lastTimeWorked": ${now - 60}}`, now)).toMatchObject({ tracking: true, lastActivity: now - 60 });
    expect(parseDesktopLog('[2026-11-20T17:55:00Z] TRACKER_UPLOAD_STARTED\n[2026-11-20T17:58:00Z] TRACKER_STOP\n', now)).toMatchObject({ tracking: false });
  });
  it('recognises nothing in an unrelated log', () => {
    expect(parseDesktopLog('[2026-11-20T17:55:00Z] app started\n', now)).toBeUndefined();
  });
});

describe('permission errors', () => {
  it('names fields and permissions', () => {
    const message = "The client or authentication token doesn't have enough oauth2 permissions/scopes to access: [Contract.workDiaryTimeCells, DateTime.rawValue]";
    expect(deniedFields(message)).toEqual(['Contract.workDiaryTimeCells', 'DateTime.rawValue']);
    expect(permissionsFor(deniedFields(message))).toEqual([
      'Work diary: "Fetch workdiary snapshots information"',
      'Common entities: "Common Entities - Read-Only Access"',
    ]);
  });
});
