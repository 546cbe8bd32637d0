/**
 * Settles like `work`, or rejects with `late()` after `ms`, whichever comes first. The timer is
 * not unref'd: a call waiting on nothing the event loop knows of (a promise that never settles,
 * the plugin's own unref'd timer) must still time out rather than let the process end early or
 * hang; it is cleared as soon as `work` settles. `onLate` runs when the deadline fires (abort the
 * work).
 */
export function withDeadline<T>(work: PromiseLike<T>, ms: number, late: () => Error, onLate?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onLate?.();
      reject(late());
    }, ms);
  });
  return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
}
