#!/usr/bin/env node
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { EXIT } from './exit-codes.js';
import { reportError } from './report.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const EXIT_CODES_HELP = `
Exit codes:
  0    ok
  1    internal error (a bug: please report it)
  2    usage or config error
  3    partial data: a backend failed, the rest is shown
  4    authentication needed (run dash-cli auth <backend>)
  130  interrupted`;

const CONFIG_HELP = `
Config is read from --config PATH, else $DASH_CONFIG, else ./dash.toml, else
$XDG_CONFIG_HOME/dash/config.toml (~/.config/dash/config.toml).`;

function globalOptions(command: Command): Record<string, unknown> {
  return command.optsWithGlobals();
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('dash-cli')
    .description('Dash: am I clocked in, on what, and how far am I from my goals?\nTime from Toggl Track, Upwork and any dash-plugin-*, live in the terminal or as JSON.')
    .version(version, '-V, --version')
    .option('-c, --config <path>', 'config file (see "Config" below)')
    .option('--demo', 'use built-in demo data instead of your backends (no account needed)')
    .option('-v, --verbose', 'tell what each backend is doing on stderr (secrets masked)')
    .showHelpAfterError('(run dash-cli --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride()
    .addHelpText('after', `${CONFIG_HELP}\n${EXIT_CODES_HELP}\n\nStart with: dash-cli snapshot --demo`);

  let result: number = EXIT.ok;

  program
    .command('snapshot')
    .description('print the week (synced, or from the cache when fresh): a summary, or JSON for scripts')
    .option('--json', 'print the snapshot as JSON (schemaVersion 1, see README)')
    .option('--at <iso-time>', 'compute the snapshot as of this instant (its week, its elapsed times)')
    .option('--timeout <duration>', 'how long to wait for each backend', '20s')
    .option('--max-age <duration>', 'reuse cached data younger than this (default: each backend\'s poll interval, at least 60s; 0 always syncs)')
    .option('--offline', 'never sync: print the cached data (sources older than --max-age show as stale)')
    .option('--refresh', 'sync every backend now, however fresh the cache')
    .addHelpText(
      'after',
      `\nCache:\n  Results are cached in $XDG_CACHE_HOME/dash (~/.cache/dash), one file per config. A status bar\n  may call snapshot every few seconds: backends are asked at most once per --max-age.\n  --at ignores the cache (unless --offline: then it computes from the cached entries).\n\nExamples:\n  dash-cli snapshot --demo\n  dash-cli snapshot --json | jq .week.totalSeconds\n  dash-cli snapshot --json --offline\n  dash-cli snapshot --json --at 2026-11-20T17:00:00Z\n${EXIT_CODES_HELP}`,
    )
    .action(async (_options, command: Command) => {
      const { runSnapshot } = await import('./commands/snapshot.js');
      result = await runSnapshot(globalOptions(command));
    });

  program
    .command('watch')
    .description('the live dashboard: clocked-in status, the week by project, a minute graph per day')
    .option('--at <iso-time>', 'start the clock at this instant (it keeps ticking); for demos and tests')
    .addHelpText(
      'after',
      `\nKeys: q/Ctrl-C quit · r sync now · ←/→ week · t today · 1-7 or ↑/↓ day · ? help\nNO_COLOR=1 or --no-color: monochrome, projects told apart by glyph.\n\nExamples:\n  dash-cli watch --demo\n  dash-cli watch --config ~/work/dash.toml\n${EXIT_CODES_HELP}`,
    )
    .action(async (_options, command: Command) => {
      const { runWatch } = await import('./commands/watch.js');
      result = await runWatch(globalOptions(command));
    });

  program
    .command('auth')
    .description("sign in to a backend that needs it (Upwork's OAuth): run once, tokens are kept and refreshed")
    .argument('<backend-id>', 'the id of the [[backends]] entry, e.g. upwork')
    .addHelpText(
      'after',
      `\nPrints an address to open in a browser, then waits for the redirect (or a pasted address).\n\nExit codes: 0 signed in · 2 unknown backend, no sign-in step or config error · 4 sign-in failed\n\nExamples:\n  dash-cli auth upwork\n  dash-cli auth upwork --config ~/work/dash.toml\n`,
    )
    .action(async (backendId: string, _options, command: Command) => {
      const { runAuth } = await import('./commands/auth.js');
      result = await runAuth(backendId, globalOptions(command));
    });

  program.addOption(new Option('--no-color', 'disable colors (also: NO_COLOR=1)'));

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    return reportError(error, { verbose: program.opts().verbose === true });
  }
  return result;
}

// A closed pipe (`dash-cli snapshot --json | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw error;
});
process.on('SIGINT', () => process.exit(EXIT.interrupted));
process.on('SIGTERM', () => process.exit(EXIT.interrupted));

/**
 * Ends the process once stdout and stderr are flushed. A command is done when main() settles:
 * a plugin's leftover timer or keep-alive socket must not keep it alive (a status bar calling
 * `snapshot` every few seconds would pile up processes).
 */
function exit(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const flushed = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

main(process.argv).then(exit, (error: unknown) => exit(reportError(error)));
