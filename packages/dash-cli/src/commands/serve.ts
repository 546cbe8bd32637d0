import type { AddressInfo } from 'node:net';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { ServeSession } from '../serve/session.js';
import type { Session } from '../setup.js';
import type { GlobalOptions } from '../setup.js';

export interface ServeCommandOptions extends GlobalOptions {
  host?: string;
  port?: string;
  /** Start the clock at this instant (it keeps ticking); for demos and tests. */
  at?: string;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 7780;

/**
 * Opens the session `serve` runs on, as `watch` does: on the persisted cache (the store starts
 * with what it holds and is saved back), unless the clock was moved with --at.
 */
async function openServeSession(options: ServeCommandOptions, now: () => Date): Promise<ServeSession & Pick<Session, 'outputs'>> {
  const { openCliSession } = await import('../setup.js');
  const session = await openCliSession({ ...options, now, outputs: true, ...(options.at === undefined ? { cache: {} } : {}) });
  if (session.cacheWarning) process.stderr.write(`dash-cli: warning: ${session.cacheWarning}\n`);
  return { ...session, now, start: () => session.host.start(), stop: () => session.close() };
}

async function parseOptions(options: ServeCommandOptions) {
  const { DashError } = await import('dash-core');
  let at: Date | undefined;
  if (options.at !== undefined) {
    at = new Date(options.at);
    if (Number.isNaN(at.getTime())) throw new DashError('USAGE', `--at "${options.at}" is not a date-time`, { hint: 'use ISO 8601, e.g. --at 2026-11-20T15:30:00Z' });
  }
  let port: number | undefined;
  if (options.port !== undefined) {
    port = /^\d{1,5}$/.test(options.port) ? Number(options.port) : Number.NaN;
    if (!(port >= 0 && port <= 65_535)) throw new DashError('USAGE', `--port "${options.port}" is not a port`, { hint: 'a number from 1 to 65535, or 0 for any free port' });
  }
  const started = Date.now();
  const now = at ? () => new Date(at.getTime() + (Date.now() - started)) : () => new Date();
  return { port, now };
}

/** `dash-cli serve`: the host of `watch`, headless, plus the HTTP server; until SIGINT/SIGTERM. */
export async function runServe(options: ServeCommandOptions): Promise<ExitCode> {
  const { port: portFlag, now } = await parseOptions(options);
  const [{ DashError }, { dataHome }, { resolveToken, isLoopback }, { createDashServer }, { KEEPALIVE_MS }, { startOutputs }] = await Promise.all([
    import('dash-core'),
    import('dash-core/host'),
    import('../serve/token.js'),
    import('../serve/server.js'),
    import('../serve/sse.js'),
    import('../outputs/host.js'),
  ]);
  const session = await openServeSession(options, now);
  let started = false;
  let outputs: ReturnType<typeof startOutputs>;
  try {
    const { config } = session;
    const host = options.host ?? config.serve.host ?? DEFAULT_HOST;
    const port = portFlag ?? config.serve.port ?? DEFAULT_PORT;
    const resolved = resolveToken(process.env, config.serve.token, dataHome());
    if ('error' in resolved) throw new DashError('USAGE', resolved.error, { hint: 'use a long random value, e.g. `openssl rand -base64 24`' });
    if (!isLoopback(host) && resolved.origin === 'generated') {
      throw new DashError('USAGE', `serving on ${host} (not loopback) needs a token you chose`, {
        hint: 'set $DASH_SERVE_TOKEN or [serve] token in the config (a long random value), or serve on 127.0.0.1 behind a reverse proxy',
      });
    }
    session.redactor.add(resolved.token);
    const keepalive = Number(process.env.DASH_SERVE_KEEPALIVE_MS);
    const dash = createDashServer(session, {
      token: resolved.token,
      corsOrigins: config.serve.corsOrigins,
      keepaliveMs: Number.isInteger(keepalive) && keepalive > 0 ? keepalive : KEEPALIVE_MS,
      ...(options.verbose ? { logRequests: (line: string) => process.stderr.write(`dash-cli: ${line}\n`) } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      dash.server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new DashError('USAGE', `cannot listen on ${host}:${port} (${error.code ?? error.message})`, {
            hint: error.code === 'EADDRINUSE' ? 'another program uses that port: pick another with --port (0: any free one)' : 'check --host',
          }),
        ),
      );
      dash.server.listen(port, host, () => resolve());
    });
    started = true;
    // The server's live week derives the events; the outputs get them from it.
    outputs = startOutputs(session, now, { live: dash.live });
    const address = dash.server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    process.stdout.write(`Dash is serving the live week at http://${shown}:${address.port}/?token=${resolved.token}\n`);
    const code = new Promise<ExitCode>((resolve) => {
      const stop = () => resolve(EXIT.interrupted);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await session.start();
    await code;
    await dash.close();
    await outputs?.stop();
    await session.stop();
    return await code;
  } finally {
    if (!started) await session.stop();
  }
}
