import { AsyncLocalStorage } from 'node:async_hooks';

/** Who answers for code that runs on a backend's behalf. */
export interface Supervisor {
  /** The backend's id ([[backends]].id). */
  readonly id: string;
  /** Called with an error its code threw or rejected with and nobody caught. */
  crashed(error: unknown): void;
}

/**
 * The backend whose code is running now. Every plugin call runs inside `supervise`, and Node
 * carries the store into everything that call starts (timers, sockets, promises), so a throw in
 * a plugin's timer or a rejection nobody handles can be traced back to it: the process's
 * 'uncaughtException' and 'unhandledRejection' handlers run in the failing code's async context
 * (Node's own test-async-local-storage-errors checks both).
 */
const scope = new AsyncLocalStorage<Supervisor>();

/** Runs `call` (a plugin's createBackend, sync, run, dispose, healthCheck…) on `supervisor`'s behalf. */
export function supervise<T>(supervisor: Supervisor, call: () => T): T {
  return scope.run(supervisor, call);
}

/**
 * The host's own objects handed to a plugin (its store handle): their methods run outside the
 * plugin's scope, so what they schedule (a cache write, a redraw) is never blamed on the plugin.
 */
export function outsideSupervision<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => scope.exit(() => (value as (...a: unknown[]) => unknown).apply(object, args));
    },
  });
}

/**
 * For a process's 'uncaughtException' / 'unhandledRejection' handler: hands an error nobody caught
 * to the backend whose code raised it (it becomes that backend's error status) and returns that
 * backend's id; undefined when no backend can be blamed (then it is the host's own bug).
 */
export function blameCrash(error: unknown): string | undefined {
  const supervisor = scope.getStore();
  if (!supervisor) return undefined;
  supervisor.crashed(error);
  return supervisor.id;
}
