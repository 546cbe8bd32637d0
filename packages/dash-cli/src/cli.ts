/**
 * The full `dash-cli`: commander, every command loaded on demand. Started by bin.ts (the
 * executable), which owns the process: signals, broken pipes and exiting once output is flushed.
 */
import { createRequire } from 'node:module';
import { handleCrashes } from './crash.js';
import { EXIT } from './exit-codes.js';
import type { FirstFrame } from './watch/first-frame.js';

const require = createRequire(import.meta.url);
// require, not import: commander is CommonJS, and importing CommonJS from ESM costs Node 20
// ~40 ms more (its ESM wrapper and the CommonJS export scan) on every command.
const { Command, CommanderError, Option } = require('commander') as typeof import('commander');
type Command = import('commander').Command;

const packageVersion = () => (require('../package.json') as { version: string }).version;

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
$XDG_CONFIG_HOME/dash/config.toml (~/.config/dash/config.toml). A ./dash.toml found in the
current folder runs its plugins only once trusted: dash-cli trust (see dash-cli trust --help).`;

function globalOptions(command: Command): Record<string, unknown> {
  return command.optsWithGlobals();
}

/** What the executable did before the CLI loaded (bin.ts). */
export interface RunContext {
  /** watch's first frame, on screen (watch/first-frame.ts). */
  firstFrame?: FirstFrame | undefined;
}

async function main(argv: string[], context: RunContext): Promise<number> {
  const program = new Command('dash-cli')
    .description('Dash: am I clocked in, on what, and how far am I from my goals?\nTime from Toggl Track, Upwork and any dash-plugin-*, live in the terminal or as JSON.')
    // -v is the version, as in node and npm; verbose has no short flag.
    .version(packageVersion(), '-v, --version', 'print the version')
    .option('-c, --config <path>', 'config file (see "Config" below)')
    .option('--demo', 'use built-in demo data instead of your backends (no account needed)')
    .option('--verbose', 'tell what each backend is doing on stderr (secrets masked)')
    // Every command's --help lists these too (they work after the command name as well).
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run dash-cli --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride()
    .addHelpText('after', `${CONFIG_HELP}\n${EXIT_CODES_HELP}\n\nStart with: dash-cli snapshot --demo`);
  handleCrashes({ verbose: () => program.opts().verbose === true });

  let result: number = EXIT.ok;

  program
    .command('snapshot')
    .description('print the week (synced, or from the cache when fresh): a summary, or JSON for scripts')
    .option('--json', 'print the snapshot as JSON (schemaVersion 1, see README): one compact line when piped, indented on a terminal')
    .option('--pretty', 'with --json: indent the JSON even when stdout is not a terminal')
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
    .command('status')
    .description('one line for a status bar (waybar, polybar, i3blocks, tmux, SwiftBar): what runs, today and the week against their goals')
    .option('--format <template>', 'the line, with {fields} filled in (see "Fields" below)')
    .option('--waybar', "waybar's custom module JSON (return-type json): text, tooltip, class, percentage")
    .option('--polybar', "polybar's custom/script: the line with %{F#rrggbb} colours")
    .option('--i3blocks', 'i3blocks: full_text, short_text and color lines')
    .option('--tmux', "tmux's status line: #[fg=…] colours")
    .option('--swiftbar', 'SwiftBar/xbar: the title, then --- and a menu')
    .option('--follow', 'keep running and print a new line each time it changes (no process per update)')
    .option('--timeout <duration>', 'how long to wait for each backend', '20s')
    .option('--max-age <duration>', "reuse cached data younger than this (default: each backend's poll interval, at least 60s)")
    .option('--offline', 'never sync: the cached data (sources older than --max-age show as stale)')
    .option('--at <iso-time>', 'the line as of this instant (not with --follow)')
    .addHelpText(
      'after',
      `\nFields:\n  {state} tracking or idle · {project} {client} {description} {source} {elapsed} of the running entry\n  {today} {todayBillable} {todayGoal} {todayPercent} {todayLeft} {todayPace}\n  {week} {weekBillable} {weekGoal} {weekPercent} {weekLeft} {pace}\n  Durations are h:mm; a field without a value (no goal, nothing running) is empty.\n\nReads the same cache as snapshot: a bar may call it every few seconds. --follow reads what a running\nwatch or serve writes, and syncs (within --max-age) when nothing else does.\n\nExamples:\n  dash-cli status\n  dash-cli status --format '{project} {elapsed} | {today}/{todayGoal}'\n  dash-cli status --waybar --follow\n  dash-cli status --tmux\n${EXIT_CODES_HELP}`,
    )
    .action(async (_options, command: Command) => {
      const { runStatus } = await import('./commands/status.js');
      result = await runStatus(globalOptions(command));
    });

  program
    .command('watch')
    .description('the live dashboard: clocked-in status, the week by project, a minute graph per day')
    .option('--at <iso-time>', 'start the clock at this instant (it keeps ticking); for demos and tests')
    .addHelpText(
      'after',
      `\nKeys: q/Ctrl-C quit · r sync now · ←/→ week · t today · 1-7 or ↑/↓ day · p/e/w/l pace, entries, trend, log full-size (Esc back) · ? help\nNO_COLOR=1 or --no-color: monochrome, projects told apart by glyph (FORCE_COLOR=1: colors).\n\nExamples:\n  dash-cli watch --demo\n  dash-cli watch --config ~/work/dash.toml\n${EXIT_CODES_HELP}`,
    )
    .action(async (_options, command: Command) => {
      const { runWatch } = await import('./commands/watch.js');
      result = await runWatch(globalOptions(command), context.firstFrame);
    });

  program
    .command('serve')
    .description('the live week over HTTP: a web dashboard, JSON, Server-Sent Events, Prometheus and Grafana')
    .option('--host <address>', 'address to listen on (default 127.0.0.1; [serve] host)')
    .option('--port <port>', 'port to listen on (default 7780; 0: any free port; [serve] port)')
    .option('--at <iso-time>', 'start the clock at this instant (it keeps ticking); for demos and tests')
    .addHelpText(
      'after',
      `\nPrints the address to open: http://HOST:PORT/?token=TOKEN. The token is $DASH_SERVE_TOKEN, else\n[serve] token in the config, else one generated on the first start and kept in the data folder.\nEndpoints: / · /api/v1/snapshot · /api/v1/entries · /api/v1/events (SSE) · /metrics · /grafana · /healthz\n\nExamples:\n  dash-cli serve --demo\n  curl -H "Authorization: Bearer $DASH_SERVE_TOKEN" http://127.0.0.1:7780/api/v1/snapshot\n${EXIT_CODES_HELP}`,
    )
    .action(async (_options, command: Command) => {
      const { runServe } = await import('./commands/serve.js');
      result = await runServe(globalOptions(command));
    });

  program
    .command('init')
    .description('write a commented starter config (asks on a terminal; flags otherwise); never overwrites one')
    .option('--timezone <zone>', 'IANA time zone (default: the system zone)')
    .option('--week-start <day>', 'first day of the week (default monday)')
    .option('--weekly <hours>', 'weekly goal: hours or a duration like 37h30m')
    .option('--weekly-billable <hours>', 'weekly billable goal')
    .option('--daily <hours>', 'daily goal')
    .option('--daily-billable <hours>', 'daily billable goal')
    .option('--toggl', 'add a Toggl Track backend')
    .option('--upwork', 'add an Upwork backend')
    .option('--timewarrior', 'add a Timewarrior backend (dash-plugin-timewarrior)')
    .option('--no-input', 'never ask questions, even on a terminal')
    .addHelpText(
      'after',
      `\nWrites --config PATH, else $DASH_CONFIG, else $XDG_CONFIG_HOME/dash/config.toml.\n\nExamples:\n  dash-cli init\n  dash-cli init --toggl --timezone Europe/Berlin --weekly 40 --daily 8\n  dash-cli init --config ./dash.toml --upwork --no-input\n${EXIT_CODES_HELP}`,
    )
    .action(async (_options, command: Command) => {
      const { runInit } = await import('./commands/init.js');
      result = await runInit(globalOptions(command));
    });

  program
    .command('doctor')
    .description('check the config, every plugin, and each backend (health check: auth, quota)')
    .option('--json', 'print the report as JSON')
    .option('--timeout <duration>', 'how long to wait for each backend', '15s')
    .addHelpText(
      'after',
      `\nExit codes: 0 all good · 2 config problems · 3 a backend is unhealthy · 4 a backend needs sign-in\n\nExamples:\n  dash-cli doctor\n  dash-cli doctor --config ~/work/dash.toml --json\n`,
    )
    .action(async (_options, command: Command) => {
      const { runDoctor } = await import('./commands/doctor.js');
      result = await runDoctor(globalOptions(command));
    });

  const plugins = program
    .command('plugins')
    .description('list the configured plugins: resolved package, version, API version and file')
    .option('--json', 'print the list as JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  dash-cli plugins\n  dash-cli plugins --json | jq '.plugins[].path'\n  dash-cli plugins new worklog\n${EXIT_CODES_HELP}`,
    )
    .action(async (_options, command: Command) => {
      const { runPlugins } = await import('./commands/plugins.js');
      result = await runPlugins(globalOptions(command));
    });
  plugins
    .command('new')
    .description('scaffold a plugin package in ./dash-plugin-<name> (index.js, a contract test, README) that passes its own npm test')
    .argument('<name>', 'the plugin name: worklog makes dash-plugin-worklog')
    .option('--dir <path>', 'create the package folder in this folder instead of the current one')
    .addHelpText('after', `\nExamples:\n  dash-cli plugins new worklog\n  dash-cli plugins new worklog --dir ~/src\n${EXIT_CODES_HELP}`)
    .action(async (name: string, options: { dir?: string }) => {
      const { runPluginsNew } = await import('./commands/plugins-new.js');
      result = runPluginsNew(name, options);
    });

  program
    .command('outputs')
    .description('list the [[outputs]] (webhooks…) with their state: delivered, queued, failing since …, disabled')
    .argument('[action]', '"test": send one signed test event to the output <id>')
    .argument('[id]', 'the id of the [[outputs]] entry (for test)')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `\nThe state is read from each output's outbox on disk: it works while no watch or serve runs.\n\nExit codes: 0 ok · 2 usage or config error · 3 an output is failing, disabled or cannot start (test: the receiver did not answer 2xx)\n\nExamples:\n  dash-cli outputs\n  dash-cli outputs --json\n  dash-cli outputs test hook\n`,
    )
    .action(async (action: string | undefined, id: string | undefined, _options, command: Command) => {
      const { runOutputs } = await import('./commands/outputs.js');
      result = await runOutputs(action, id, globalOptions(command));
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

  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      `\nExamples:\n  dash-cli completion bash > ~/.local/share/bash-completion/completions/dash-cli\n  dash-cli completion zsh > "\${fpath[1]}/_dash-cli"\n  dash-cli completion fish > ~/.config/fish/completions/dash-cli.fish\n`,
    )
    .action(async (shell: string) => {
      const { runCompletion } = await import('./commands/completion.js');
      result = runCompletion(shell, program);
    });

  const trust = async (path: string | undefined, options: { revoke?: boolean; list?: boolean }) => {
    const { runTrust } = await import('./commands/trust.js');
    result = await runTrust(path, options);
  };
  program
    .command('trust')
    .description('let a ./dash.toml found in the current folder run its plugins (as it is now: an edit needs trust again)')
    .argument('[path]', 'the config file', './dash.toml')
    .option('--revoke', 'forget it (same as dash-cli untrust)')
    .option('--list', 'print every trusted config: trusted, changed (needs trust again) or missing, then its path')
    .addHelpText(
      'after',
      `\nA dash.toml found by looking in the current folder can name plugins from that folder (./x.js,\nits node_modules): they run with your environment, tokens included. Like direnv or mise, Dash\nruns them only once you trust the file: its real path and SHA-256 go to\n$XDG_DATA_HOME/dash/trusted.json (~/.local/share/dash). --config PATH, $DASH_CONFIG and\n~/.config/dash/config.toml are your own and need no trust.\n\nExamples:\n  dash-cli trust\n  dash-cli trust ~/work/dash.toml\n  dash-cli trust --revoke\n  dash-cli trust --list\n${EXIT_CODES_HELP}`,
    )
    .action(async (path: string, options: { revoke?: boolean; list?: boolean }, command: Command) =>
      trust(command.args.length > 0 ? path : options.list ? undefined : path, options),
    );
  program
    .command('untrust')
    .description('stop trusting a folder config (same as dash-cli trust --revoke)')
    .argument('[path]', 'the config file', './dash.toml')
    .action(async (path: string) => trust(path, { revoke: true }));

  program.addOption(new Option('--no-color', 'disable colors (also: NO_COLOR=1; FORCE_COLOR=1 forces them)'));

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const { reportError } = await import('./report.js');
    return reportError(error, { verbose: program.opts().verbose === true });
  }
  return result;
}

/** Runs the command line (process.argv) and returns the exit code; never rejects. */
export async function run(argv: string[], context: RunContext = {}): Promise<number> {
  try {
    return await main(argv, context);
  } catch (error) {
    const { reportError } = await import('./report.js');
    return reportError(error);
  }
}
