/**
 * Vitest global setup: picks the run's fast-check seed once (fresh each run unless FC_SEED is
 * set), prints it, and hands it to every test file (see fc-seed.ts).
 */
import type { TestProject } from 'vitest/node';
import { chooseSeed } from './seed.js';

export default function setup(project: TestProject): void {
  const seed = chooseSeed();
  project.provide('fcSeed', seed);
  console.log(`fast-check seed ${seed}; repeat with FC_SEED=${seed}`);
}
