import { localDateOf, localHourOf, localIso, weekOf } from '../calendar.js';
import { remembered } from '../remembered.js';
import { buildSnapshotWith, type Snapshot, type SnapshotCalendar, type SnapshotOptions, type SnapshotSourceData } from './core.js';

export * from './core.js';

/** The week's hour rows are read again on every rebuild (each minute in `watch` and `serve`). */
const INTL_CALENDAR: SnapshotCalendar = { weekOf, localDateOf, localHourOf: remembered(localHourOf), localIso: remembered(localIso) };

/**
 * The snapshot of the README's "Snapshot JSON" contract: a pure function of the store's entries and sources, the goals,
 * the instant `now`, the time zone and the week start (see core.ts; this adds the
 * calendar of calendar.ts, unless `options.calendar` is given).
 */
export function buildSnapshot(store: SnapshotSourceData, options: SnapshotOptions): Snapshot {
  return buildSnapshotWith(options.calendar ?? INTL_CALENDAR, store, options);
}
