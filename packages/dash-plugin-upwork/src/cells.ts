import { fromEpochSeconds, type EntryInput, type ProjectInput } from 'dash-core';
import { parseCellTime, type CellTimeForm } from './cell-time.js';

/** Every work-diary cell is a 10-minute billing segment. */
export const CELL_SECONDS = 600;

/** One work-diary cell as Upwork returns it (only the fields we select). */
export interface RawCell {
  cellDateTime?: { rawValue?: unknown } | string | number | null;
  manual?: boolean | null;
  overtime?: boolean | null;
  activityLevel?: number | null;
  memo?: string | null;
}

/** The diary of one contract on one UTC day. */
export interface RawDiary {
  workDiaryMetadata?: { timezoneOffset?: unknown } | null;
  workDiaryTimeCells?: (RawCell | null)[] | null;
}

export interface Cell {
  contractId: string;
  /** Epoch seconds of the cell's start. */
  start: number;
  manual: boolean;
  overtime: boolean;
  memo: string;
}

export interface CellParseResult {
  cells: Cell[];
  /** Cells whose time could not be read (logged, never guessed). */
  unreadable: number;
  forms: Set<CellTimeForm>;
}

function offsetOf(diary: RawDiary): number {
  const value = Number(diary.workDiaryMetadata?.timezoneOffset ?? 0);
  // Upwork may give the offset in seconds or in hours; a whole-hour offset in hours is small.
  if (!Number.isFinite(value)) return 0;
  return Math.abs(value) <= 14 ? value * 3600 : value;
}

/** The cells of one diary (contract, UTC day "yyyymmdd"). */
export function readDiary(contractId: string, day: string, diary: RawDiary | null | undefined): CellParseResult {
  const result: CellParseResult = { cells: [], unreadable: 0, forms: new Set() };
  if (!diary) return result;
  const offset = offsetOf(diary);
  for (const raw of diary.workDiaryTimeCells ?? []) {
    if (!raw) continue;
    const value = typeof raw.cellDateTime === 'object' && raw.cellDateTime !== null ? raw.cellDateTime.rawValue : raw.cellDateTime;
    const time = parseCellTime(value, day, offset);
    if (!time) {
      result.unreadable += 1;
      continue;
    }
    result.forms.add(time.form);
    result.cells.push({
      contractId,
      start: time.seconds,
      manual: raw.manual === true,
      overtime: raw.overtime === true,
      memo: (raw.memo ?? '').trim(),
    });
  }
  return result;
}

/** A run of consecutive cells of one contract with the same kind (tracked/manual) and memo. */
export interface Block {
  contractId: string;
  start: number;
  end: number;
  manual: boolean;
  overtime: boolean;
  memo: string;
  cells: number;
}

/** Sorts, de-duplicates and merges cells into blocks (a cell joins the block it starts right after). */
export function mergeCells(cells: readonly Cell[]): Block[] {
  const unique = new Map<string, Cell>();
  for (const cell of cells) unique.set(`${cell.contractId}\u0000${cell.start}`, cell);
  const sorted = [...unique.values()].sort((a, b) => a.contractId.localeCompare(b.contractId) || a.start - b.start);
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const cell of sorted) {
    if (
      current &&
      current.contractId === cell.contractId &&
      current.end === cell.start &&
      current.manual === cell.manual &&
      current.overtime === cell.overtime &&
      current.memo === cell.memo
    ) {
      current.end += CELL_SECONDS;
      current.cells += 1;
      continue;
    }
    current = {
      contractId: cell.contractId,
      start: cell.start,
      end: cell.start + CELL_SECONDS,
      manual: cell.manual,
      overtime: cell.overtime,
      memo: cell.memo,
      cells: 1,
    };
    blocks.push(current);
  }
  return blocks;
}

/** Tags on every Upwork entry: what kind of time it is. */
export function tagsOf(block: Pick<Block, 'manual' | 'overtime'>): string[] {
  return ['upwork', block.manual ? 'manual' : 'tracked', ...(block.overtime ? ['overtime'] : [])];
}

export function blockId(block: Pick<Block, 'contractId' | 'start'>): string {
  return `${block.contractId}:${block.start}`;
}

/** A block as a time entry: the contract is the project; overtime beyond the weekly limit is not billed. */
export function blockToEntry(block: Block, project: ProjectInput): EntryInput {
  return {
    id: blockId(block),
    start: fromEpochSeconds(block.start),
    end: fromEpochSeconds(block.end),
    project,
    description: block.memo,
    billable: !block.overtime,
    tags: tagsOf(block),
  };
}
