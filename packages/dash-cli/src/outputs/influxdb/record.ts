import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from 'dash-core';

/**
 * What the InfluxDB output keeps in its data dir (`record.json`, written atomically), so that a
 * restart neither loses nor repeats work:
 * - `written`: for each entry (source + id) the point the database holds once `pending` is
 *   flushed: its timestamp, the tags that make its series, and a hash of the whole line;
 * - `pending`: what is not acknowledged yet, in order. Removed only after the database answered 2xx.
 * - `recent`: what was acknowledged in the last few seconds (output.ts: re-sent if the database
 *   then vanishes, since VictoriaMetrics acknowledges before its data is on disk).
 * `target` names the database; a record for another one is started afresh (a full backfill).
 */
export const RECORD_FILE = 'record.json';
const FORMAT = 'dash-influxdb-record';
const VERSION = 1;


export interface WrittenPoint {
  /** The point's timestamp (seconds). */
  time: number;
  /** The tags an edit can change (billable, client, project): with the entry's key, the target's
   * measurement and instance they give the point's series key. */
  tags: readonly [string, string, string];
  /** A hash of the whole line. */
  hash: string;
}

export type PendingOp =
  /** A line to write; `key` names the point's identity (series and timestamp). */
  | { kind: 'write'; key: string; line: string }
  /** VictoriaMetrics: delete every series matching this selector. */
  | { kind: 'delete'; match: string };

export interface WriteRecord {
  target: string;
  written: Map<string, WrittenPoint>;
  pending: PendingOp[];
  recent: { at: number; op: PendingOp }[];
}

interface RecordFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  target: string;
  written: { [entry: string]: WrittenPoint };
  pending: PendingOp[];
  recent?: { at: number; op: PendingOp }[];
}

export function emptyRecord(target: string): WriteRecord {
  return { target, written: new Map(), pending: [], recent: [] };
}

/** The record for `target`, or an empty one (first start, another target, or an unreadable file: `problem` says which). */
export async function loadRecord(dir: string, target: string): Promise<{ record: WriteRecord; problem: string | null }> {
  let text: string;
  try {
    text = await readFile(join(dir, RECORD_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { record: emptyRecord(target), problem: null };
    return { record: emptyRecord(target), problem: `cannot read ${RECORD_FILE}: ${(error as Error).message}` };
  }
  let data: RecordFile;
  try {
    data = JSON.parse(text) as RecordFile;
  } catch {
    return { record: emptyRecord(target), problem: `${RECORD_FILE} is not JSON: starting afresh (every entry is written again)` };
  }
  if (data?.format !== FORMAT || data.version !== VERSION || typeof data.written !== 'object' || !Array.isArray(data.pending)) {
    return { record: emptyRecord(target), problem: `${RECORD_FILE} is not a record of this version: starting afresh` };
  }
  if (data.target !== target) return { record: emptyRecord(target), problem: null };
  const recent = Array.isArray(data.recent) ? data.recent : [];
  return { record: { target, written: new Map(Object.entries(data.written)), pending: data.pending, recent }, problem: null };
}

export async function saveRecord(dir: string, record: WriteRecord): Promise<void> {
  const data: RecordFile = {
    format: FORMAT,
    version: VERSION,
    target: record.target,
    written: Object.fromEntries(record.written),
    pending: record.pending,
    recent: record.recent,
  };
  await writeFileAtomic(join(dir, RECORD_FILE), JSON.stringify(data));
}
