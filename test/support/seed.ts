/** The fast-check seed of a test run: FC_SEED when set (to repeat a run), else a fresh one. */
export function chooseSeed(value: string | undefined = process.env.FC_SEED): number {
  if (value === undefined || value.trim() === '') return Math.floor(Math.random() * 0x7fff_ffff);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, not "${value}"`);
  return seed;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's fast-check seed, chosen and printed once by fc-seed.global.ts. */
    fcSeed: number;
  }
}
