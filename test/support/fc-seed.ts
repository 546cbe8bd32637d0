/**
 * Import this in every test file that uses fast-check: it sets fast-check's seed to the run's
 * (printed at the start of the run; FC_SEED=<seed> repeats it). A file run without the global
 * setup (another vitest config) picks and prints its own.
 */
import fc from 'fast-check';
import { inject } from 'vitest';
import { chooseSeed } from './seed.js';

function runSeed(): number {
  const provided = inject('fcSeed');
  if (typeof provided === 'number') return provided;
  const seed = chooseSeed();
  console.log(`fast-check seed ${seed}; repeat with FC_SEED=${seed}`);
  return seed;
}

export const FC_SEED = runSeed();
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: FC_SEED });

/** How many cases a property tries: `runs` unless FC_RUNS says otherwise (the mutation run asks for fewer). */
export function numRuns(runs: number): number {
  const override = Number(process.env.FC_RUNS);
  return Number.isSafeInteger(override) && override > 0 ? override : runs;
}
