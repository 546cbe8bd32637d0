import { localDateOf, localHourOf, localIso, weekOf } from '../calendar.js';
import { buildSnapshotWith, type Snapshot, type SnapshotCalendar, type SnapshotOptions, type SnapshotSourceData } from './core.js';

export * from './core.js';

/** How many instants each remembered calendar function keeps (a week's hour rows are 168). */
const REMEMBERED = 4096;

/**
 * A zone's reading of an instant never changes, so what a snapshot asks for again (the week's
 * 168 hour rows, rebuilt every minute by `watch` and `serve`) is answered from memory instead of
 * two Intl calls each.
 */
function remembered<T>(read: (epochSeconds: number, timeZone: string) => T): (epochSeconds: number, timeZone: string) => T {
  const memory = new Map<string, T>();
  return (epochSeconds, timeZone) => {
    const key = `${timeZone} ${epochSeconds}`;
    let value = memory.get(key);
    if (value === undefined) {
      if (memory.size >= REMEMBERED) memory.clear();
      value = read(epochSeconds, timeZone);
      memory.set(key, value);
    }
    return value;
  };
}

const INTL_CALENDAR: SnapshotCalendar = { weekOf, localDateOf, localHourOf: remembered(localHourOf), localIso: remembered(localIso) };

/**
 * The snapshot of the README's "Snapshot JSON" contract: a pure function of the store's entries and sources, the goals,
 * the instant `now`, the time zone and the week start (see core.ts; this adds the
 * calendar of calendar.ts, unless `options.calendar` is given).
 */
export function buildSnapshot(store: SnapshotSourceData, options: SnapshotOptions): Snapshot {
  return buildSnapshotWith(options.calendar ?? INTL_CALENDAR, store, options);
}
