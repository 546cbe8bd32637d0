import type { ExitCode } from '../exit-codes.js';
import { EXIT } from '../exit-codes.js';
import type { GlobalOptions } from '../setup.js';
import { untilNextMinute } from './follow.js';
import { renderStatus, type StatusFormat } from './formats.js';

/**
 * `status --follow` for a config with [[outputs]]: outputs run in every long-running host, so
 * this one opens the session `watch` would (the cached week at once, the backends kept fresh, the
 * cache saved back for the other bars), runs the outputs on its domain events, and prints a line
 * per change of the week or of the minute. Heavier than the cache follower (follow.ts), which is
 * what a config without outputs gets. Ends on SIGTERM or Ctrl-C (exit 130), outputs and backends stopped.
 */
export async function followWithSession(options: GlobalOptions, format: StatusFormat): Promise<ExitCode> {
  const [{ openCliSession }, { LiveWeek }, { startOutputs }] = await Promise.all([import('../setup.js'), import('../serve/live.js'), import('../outputs/host.js')]);
  const now = () => new Date();
  const session = await openCliSession({ ...options, now, outputs: true, cache: {} });
  if (session.cacheWarning) process.stderr.write(`dash-cli: warning: ${session.cacheWarning}\n`);
  const live = new LiveWeek({ store: session.store, config: session.config, now });
  let last: string | undefined;
  const show = () => {
    const text = renderStatus(live.current, format);
    if (text !== last) process.stdout.write(text);
    last = text;
  };
  live.onUpdate(show);
  live.start();
  show();
  let tick: NodeJS.Timeout;
  const everyMinute = () => {
    tick = setTimeout(() => {
      show();
      everyMinute();
    }, untilNextMinute(Date.now()));
  };
  everyMinute();
  const outputs = startOutputs(session, now, { live });
  let stop!: (code: ExitCode) => void;
  const stopped = new Promise<ExitCode>((resolve) => (stop = resolve));
  const onSignal = () => stop(EXIT.interrupted);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await Promise.race([session.host.start(), stopped]);
    return await stopped;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    clearTimeout(tick!);
    live.stop();
    await outputs?.stop();
    await session.close();
  }
}
