/** Waits `ms` (or until `signal` aborts, whichever is first); injectable so tests run on a fake clock. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The real timer: resolves early (never rejects) when the signal aborts. It keeps the process
 * alive on purpose: a one-shot `snapshot` waiting to retry must not exit half-way.
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
