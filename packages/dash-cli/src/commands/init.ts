import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { DashError, isValidTimeZone, parseDuration, WEEKDAYS, type Weekday } from 'dash-core';
import { configDir, systemTimeZone, trustConfig } from 'dash-core/host';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { GlobalOptions } from '../setup.js';

export interface InitCommandOptions extends GlobalOptions {
  timezone?: string;
  weekStart?: string;
  weekly?: string;
  weeklyBillable?: string;
  daily?: string;
  dailyBillable?: string;
  toggl?: boolean;
  upwork?: boolean;
  timewarrior?: boolean;
  /** --no-input: never ask, even on a terminal. */
  input?: boolean;
}

export interface InitAnswers {
  timezone: string;
  weekStart: Weekday;
  /** Goals in seconds, null when not set. */
  weekly: number | null;
  weeklyBillable: number | null;
  daily: number | null;
  dailyBillable: number | null;
  toggl: boolean;
  upwork: boolean;
  timewarrior: boolean;
}

/** Hours ("40", "7.5") or a duration ("7h30m") → seconds; undefined if it is neither. */
function goalSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 3600);
  return parseDuration(trimmed);
}

function goalFlag(name: string, value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const seconds = goalSeconds(value);
  if (seconds === undefined) throw new DashError('USAGE', `--${name} "${value}" is not a number of hours or a duration`, { hint: `e.g. --${name} 40 or --${name} 7h30m` });
  return seconds;
}

/** A goal as TOML: whole hours as a number, anything else as a duration string. */
function goalToml(seconds: number): string {
  if (seconds % 3600 === 0) return String(seconds / 3600);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `"${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}"`;
}

function answersFromFlags(options: InitCommandOptions): InitAnswers {
  const timezone = options.timezone ?? systemTimeZone();
  if (!isValidTimeZone(timezone)) {
    throw new DashError('USAGE', `--timezone "${timezone}" is not an IANA time zone`, { hint: 'e.g. --timezone Europe/Berlin, America/New_York or UTC' });
  }
  const weekStart = (options.weekStart ?? 'monday').toLowerCase();
  if (!(WEEKDAYS as readonly string[]).includes(weekStart)) {
    throw new DashError('USAGE', `--week-start "${options.weekStart}" is not a weekday`, { hint: `one of ${WEEKDAYS.join(', ')}` });
  }
  return {
    timezone,
    weekStart: weekStart as Weekday,
    weekly: goalFlag('weekly', options.weekly),
    weeklyBillable: goalFlag('weekly-billable', options.weeklyBillable),
    daily: goalFlag('daily', options.daily),
    dailyBillable: goalFlag('daily-billable', options.dailyBillable),
    toggl: options.toggl === true,
    upwork: options.upwork === true,
    timewarrior: options.timewarrior === true,
  };
}

/** Asks on the terminal, offering the flags' values (or sensible ones) as defaults. */
async function ask(defaults: InitAnswers): Promise<InitAnswers> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const question = async (text: string, fallback: string) => {
      const answer = (await rl.question(`${text}${fallback ? ` [${fallback}]` : ''}: `)).trim();
      return answer === '' ? fallback : answer;
    };
    const yes = async (text: string, fallback: boolean) => /^y/i.test(await question(`${text} (y/n)`, fallback ? 'y' : 'n'));
    let timezone = await question('Time zone', defaults.timezone);
    while (!isValidTimeZone(timezone)) timezone = await question(`"${timezone}" is not an IANA time zone (e.g. Europe/Berlin); time zone`, defaults.timezone);
    const goal = async (text: string, fallback: number | null) => {
      for (;;) {
        const answer = await question(`${text} (hours or e.g. 7h30m, "-" for none)`, fallback === null ? '-' : String(fallback / 3600));
        if (answer === '-' || answer === '') return null;
        const seconds = goalSeconds(answer);
        if (seconds !== undefined) return seconds;
        process.stderr.write(`"${answer}" is not a number of hours or a duration\n`);
      }
    };
    const weekly = await goal('Weekly goal', defaults.weekly ?? 40 * 3600);
    const daily = await goal('Daily goal', defaults.daily ?? 8 * 3600);
    const weeklyBillable = await goal('Weekly billable goal', defaults.weeklyBillable);
    const dailyBillable = await goal('Daily billable goal', defaults.dailyBillable);
    const toggl = await yes('Use Toggl Track?', defaults.toggl);
    const upwork = await yes('Use Upwork?', defaults.upwork);
    const timewarrior = await yes('Use Timewarrior (needs: npm install dash-plugin-timewarrior)?', defaults.timewarrior);
    return { ...defaults, timezone, weekly, daily, weeklyBillable, dailyBillable, toggl, upwork, timewarrior };
  } finally {
    rl.close();
  }
}

const TOGGL = `[[backends]]
plugin = "toggl"                    # dash-plugin-toggl (comes with dash-cli)
id = "toggl"
api_token = "\${TOGGL_API_TOKEN}"    # Toggl → Profile settings → API Token; export TOGGL_API_TOKEN=…
# workspace_id = 1234567            # default: your default workspace
# poll_interval = "5m"              # Toggl allows about 30 requests an hour for all your tools together
`;

const UPWORK = `[[backends]]
plugin = "upwork"                   # dash-plugin-upwork (comes with dash-cli)
id = "upwork"
client_id = "\${UPWORK_CLIENT_ID}"          # your Upwork API key (https://www.upwork.com/developer/keys)
client_secret = "\${UPWORK_CLIENT_SECRET}"  # its secret; then sign in once: dash-cli auth upwork
`;

const TIMEWARRIOR = `[[backends]]
plugin = "timewarrior"              # dash-plugin-timewarrior: npm install dash-plugin-timewarrior next to this file
id = "timew"
# database = "~/.timewarrior"       # default: $TIMEWARRIORDB, else where timew keeps it
# billable_tags = ["billable"]
# [backends.projects]               # tag → project; default: the first tag is the project
# acme = "Acme website"
`;

const DEMO = `[[backends]]
plugin = "demo"                     # built-in demo data; replace it with your own backends below
`;

function commented(block: string): string {
  return block
    .trimEnd()
    .split('\n')
    .map((line) => `# ${line}`)
    .join('\n');
}

/** The starter config: every setting explained, the chosen backends on, the others commented out. */
export function starterConfig(answers: InitAnswers): string {
  const goal = (key: string, seconds: number | null, example: string) =>
    seconds === null ? `# ${key} = ${example}` : `${key} = ${goalToml(seconds)}`;
  const chosen = [answers.toggl && TOGGL, answers.upwork && UPWORK, answers.timewarrior && TIMEWARRIOR].filter(
    (block): block is string => typeof block === 'string',
  );
  const others = [!answers.toggl && TOGGL, !answers.upwork && UPWORK, !answers.timewarrior && TIMEWARRIOR].filter(
    (block): block is string => typeof block === 'string',
  );
  return `# Dash config, written by dash-cli init. Every key is explained in the README ("Config reference").
# Values like "\${VAR}" are read from the environment; keep tokens there, not in this file.

timezone = "${answers.timezone}"   # IANA time zone your days and weeks are counted in
week_start = "${answers.weekStart}"
# workdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]   # days that carry the daily goals

[goals]                             # hours (numbers) or durations ("7h30m")
${goal('weekly', answers.weekly, '40')}
${goal('weekly_billable', answers.weeklyBillable, '30')}
${goal('daily', answers.daily, '8')}
${goal('daily_billable', answers.dailyBillable, '6')}

# [colors]                          # project colors by project name
# "Acme website" = "#ff8800"

# One [[backends]] table per source of time. Every key but plugin and id belongs to the plugin.
${chosen.length === 0 ? DEMO : chosen.join('\n')}${others.length > 0 ? `\n# More backends: uncomment to use.\n${others.map(commented).join('\n\n')}\n` : ''}`;
}

function nextSteps(file: string, answers: InitAnswers, asked: boolean): string {
  const none = !answers.toggl && !answers.upwork && !answers.timewarrior;
  const steps = [`Wrote ${file}`];
  if (none && !asked) {
    // Nobody was asked (no terminal, or --no-input) and no backend flag was given: say what that means.
    steps.push(
      '',
      'No backend chosen (no terminal to ask on, and no --toggl, --upwork or --timewarrior), so it shows',
      'the built-in demo data. To use your Toggl time instead, uncomment the Toggl block in the file',
      '(and remove the demo backend), or write a new config with it on:',
      `  rm ${file} && dash-cli init --toggl`,
    );
  }
  steps.push('', 'Next steps:');
  if (answers.toggl) steps.push('  export TOGGL_API_TOKEN=…        # Toggl → Profile settings → API Token');
  if (answers.upwork) steps.push('  export UPWORK_CLIENT_ID=… UPWORK_CLIENT_SECRET=…', '  dash-cli auth upwork             # sign in once');
  if (answers.timewarrior) steps.push(`  (cd ${dirname(file)} && npm install dash-plugin-timewarrior)`);
  if (none) steps.push(`  edit ${file} to add your backends (the demo runs until then)`);
  steps.push('  dash-cli doctor                  # checks the config and every backend', '  dash-cli watch                   # the live dashboard');
  return steps.join('\n');
}

/** `dash-cli init`: writes a commented starter config; never overwrites one (exit 2). */
export async function runInit(options: InitCommandOptions): Promise<ExitCode> {
  const file = resolve(options.config ?? (process.env.DASH_CONFIG || join(configDir(), 'config.toml')));
  if (existsSync(file)) {
    throw new DashError('USAGE', `${file} already exists; not overwriting it`, {
      hint: 'edit it, check it with `dash-cli doctor`, or write a new one elsewhere with --config PATH',
    });
  }
  let answers = answersFromFlags(options);
  const interactive = options.input !== false && process.stdin.isTTY === true && process.stderr.isTTY === true;
  if (interactive) answers = await ask(answers);
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, starterConfig(answers), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new DashError('USAGE', `${file} already exists; not overwriting it`);
    throw error;
  }
  // A ./dash.toml runs plugins only once trusted: this one holds nothing but Dash's own template.
  const inFolder = file === resolve('dash.toml');
  if (inFolder) await trustConfig(file);
  process.stdout.write(`${nextSteps(file, answers, interactive)}\n`);
  if (inFolder) process.stdout.write('  dash-cli trust                   # after each edit: a ./dash.toml runs plugins only once trusted\n');
  return EXIT.ok;
}
