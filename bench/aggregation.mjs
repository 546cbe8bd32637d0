// (b) aggregation scale: buildSnapshot of one week with 1k, 100k and 1M entries of history.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median, ms, row, ROOT } from './lib.mjs';

const SIZES = [1_000, 100_000, 1_000_000];

function measure(size) {
  const result = spawnSync(process.execPath, ['--max-old-space-size=4096', join(ROOT, 'bench/aggregation-worker.mjs'), String(size)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`aggregation worker (${size}) failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export async function benchAggregation() {
  // Two rounds per size, interleaved; each round's figure is already a median of 25 builds.
  const rounds = [];
  for (let round = 0; round < 2; round++) for (const size of SIZES) rounds.push(measure(size));
  const by = new Map(SIZES.map((size) => [size, rounds.filter((item) => item.size === size)]));
  const figure = (size) => median(by.get(size).map((item) => item.medianMs));
  const small = figure(SIZES[0]);
  const rows = SIZES.map((size) => {
    const value = figure(size);
    const sample = by.get(size)[0];
    const isLargest = size === SIZES.at(-1);
    const ratio = value / small;
    const label = `buildSnapshot, week of ${sample.entries - size} entries + ${size.toLocaleString('en')} entries of history`;
    const note = `store filled in ${(sample.loadMs / 1000).toFixed(1)} s, RSS ${Math.round(sample.rssMb)} MB; same week total in all: ${new Set(rounds.map((item) => item.weekSeconds)).size === 1}`;
    if (size === SIZES[0]) return row('b', label, ms(value), '', 'info', note);
    const budget = isLargest ? '≤ 20 ms and ≈ 1× (1k)' : '≈ 1× (1k)';
    const ok = ratio <= 1.5 && (!isLargest || value <= 20);
    return row('b', label, `${ms(value)} = ${ratio.toFixed(2)}× 1k`, budget, ok ? 'ok' : 'over', note);
  });
  return rows;
}
