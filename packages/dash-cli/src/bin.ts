#!/usr/bin/env node
/**
 * The `dash-cli` executable, built as CommonJS (dist/bin.cjs) with the read commands' fast path
 * bundled in: a status bar's `snapshot --json` or `status` served from the cache starts no ESM
 * loader and loads one file, and `status --follow` stays this lean (see fast-read.ts).
 * Everything else imports the full CLI (cli.ts, ESM).
 *
 * The process's life is decided here, for both paths: a closed pipe is not an error, a signal
 * exits 130 unless a command handles it, and the process ends once its output is flushed.
 */
import { createRequire } from 'node:module';
import { EXIT } from './exit-codes.js';
import type { FirstFrame } from './watch/first-frame.js';
import { fastFollow, fastRead } from './fast-read.js';

/**
 * Output that could not be written (a full disk, an I/O error, a closed descriptor) is a failed
 * command: exit 1 with one line on stderr. A reader that closed the pipe early
 * (`dash-cli snapshot --json | head -c1`) is not an error: exit quietly.
 */
function outputFailed(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  process.stderr.write(`dash-cli: could not write the output to stdout: ${error.message}\n`);
  process.exit(EXIT.internal);
}
process.stdout.on('error', outputFailed);
// Interrupted: exit 130 at once, unless a command (watch) handles the signal itself to shut
// its backends down and restore the terminal first.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(EXIT.interrupted);
  });
}

/**
 * Ends the process once stdout and stderr are flushed. A command is done when it settles: a
 * plugin's leftover timer or keep-alive socket must not keep it alive (a status bar calling
 * `snapshot` every few seconds would pile up processes).
 */
function exit(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const flushed = () => {
    if (--pending === 0) process.exit(code);
  };
  // The callback sees an earlier write's error too (the stream is then destroyed).
  process.stdout.write('', (error) => (error ? outputFailed(error) : flushed()));
  process.stderr.write('', flushed);
}

const argv = process.argv;
void fastRead(argv.slice(2)).then((fast) => {
  if (fast) {
    process.stdout.write(fast.stdout);
    if (fast.stderr) process.stderr.write(fast.stderr);
    return exit(fast.code);
  }
  const following = fastFollow(argv.slice(2));
  if (following) {
    // A config with [[outputs]] needs a session: the full CLI opens one (commands/status.ts).
    return following.then((code) => (code === 'session' ? full() : exit(code)), (error: unknown) => {
      process.stderr.write(`dash-cli: status --follow stopped: ${error instanceof Error ? error.message : String(error)}\n`);
      exit(EXIT.internal);
    });
  }
  return full();
});

async function full(): Promise<void> {
  // watch's first frame, from the cache, before the full CLI loads (dist/first-frame.cjs, only for watch).
  let firstFrame: FirstFrame | undefined;
  if (argv.includes('watch')) {
    try {
      const { drawFirstFrame } = createRequire(import.meta.url)('./first-frame.cjs') as typeof import('./watch/first-frame.js');
      firstFrame = drawFirstFrame(argv.slice(2));
    } catch {
      // Not drawn: the dashboard draws once the session is open.
    }
  }
  return import('./cli.js').then(
    ({ run }) => run(argv, { firstFrame }).then(exit),
    (error: unknown) => {
      // Only a broken install gets here (the full CLI reports its own errors).
      firstFrame?.leave();
      process.stderr.write(`dash-cli: could not load the CLI (${error instanceof Error ? error.message : String(error)}); try reinstalling dash-cli\n`);
      exit(EXIT.internal);
    },
  );
}
