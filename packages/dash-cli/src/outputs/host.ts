import { LiveWeek } from '../serve/live.js';
import type { Session } from '../setup.js';
import { OutputRunner } from './runner.js';

/** A host's outputs, running: `stop` before the session stops. */
export interface RunningOutputs {
  runner: OutputRunner;
  stop(): Promise<void>;
}

/**
 * Starts a long-running host's [[outputs]] (undefined when it has none): the runner gets the
 * domain events of `live` (serve's LiveWeek), or of a LiveWeek of its own on the session's store
 * (watch): one derivation of events, dash-core's EventDeriver, for every host.
 */
export function startOutputs(
  session: Pick<Session, 'outputs' | 'store' | 'log' | 'redactor' | 'config'>,
  now: () => Date,
  settings: { live?: LiveWeek; log?: Session['log'] } = {},
): RunningOutputs | undefined {
  if (session.outputs.length === 0) return undefined;
  const { live } = settings;
  const runner = new OutputRunner({
    outputs: session.outputs,
    store: session.store,
    log: settings.log ?? session.log,
    redactor: session.redactor,
    now,
    configDir: session.config.dir,
  });
  const own = live ? undefined : new LiveWeek({ store: session.store, config: session.config, now });
  const week = live ?? own!;
  const unsubscribe = week.onUpdate(({ events }) => {
    if (events.length > 0) runner.publish(events);
  });
  own?.start();
  void runner.start();
  return {
    runner,
    stop: async () => {
      unsubscribe();
      own?.stop();
      await runner.stop();
    },
  };
}
