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
