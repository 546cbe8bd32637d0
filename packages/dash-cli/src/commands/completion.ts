/**
 * `dash-cli completion <bash|zsh|fish>`: a completion script for the shell, generated from the
 * command tree itself (commands, their options, the global options), so it never drifts from the
 * CLI. Loaded only by this command.
 */
import type { Command, Option } from 'commander';
import { DashError } from 'dash-core';
import { EXIT, type ExitCode } from '../exit-codes.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/** The fixed words a command's first argument takes (completed like flags). */
const ARGUMENT_WORDS: Readonly<Record<string, readonly string[]>> = { completion: SHELLS, outputs: ['test'] };

interface Flag {
  long: string | undefined;
  short: string | undefined;
  description: string;
  /** Takes a value; `file` when the value is a path. */
  value: 'none' | 'text' | 'file';
}

interface Tree {
  globals: Flag[];
  /** `operands`: the words a command takes first: its subcommands (plugins new), the shells (completion). */
  commands: { name: string; description: string; flags: Flag[]; operands: string[] }[];
}

function flag(option: Option): Flag {
  const value = !option.required && !option.optional ? 'none' : /path|file/.test(option.flags) ? 'file' : 'text';
  return { long: option.long?.replace(/^--/, ''), short: option.short?.replace(/^-/, ''), description: option.description, value };
}

function tree(program: Command): Tree {
  const visible = (options: readonly Option[]) => options.filter((option) => !option.hidden).map(flag);
  const help = { long: 'help', short: 'h', description: 'display help for command', value: 'none' } as const;
  return {
    globals: [...visible(program.options), help],
    commands: program.commands.map((command) => ({
      name: command.name(),
      description: command.description().split('\n')[0]!,
      // A subcommand's options complete after the command too (plugins new --dir).
      flags: [...visible(command.options), ...command.commands.flatMap((sub) => visible(sub.options))],
      operands: [...(ARGUMENT_WORDS[command.name()] ?? command.commands.map((sub) => sub.name()))],
    })),
  };
}

const words = (flags: Flag[]) => flags.flatMap((item) => [item.long && `--${item.long}`, item.short && `-${item.short}`]).filter(Boolean).join(' ');

function bash({ globals, commands }: Tree): string {
  const withValue = [...globals, ...commands.flatMap((command) => command.flags)].filter((item) => item.value !== 'none');
  const fileFlags = withValue.filter((item) => item.value === 'file');
  const cases = commands
    .map((command) => `    ${command.name}) words="${command.operands.map((word) => `${word} `).join('')}${words([...command.flags, ...globals])}" ;;`)
    .join('\n');
  return `# bash completion for dash-cli (dash-cli completion bash)
_dash_cli() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" command="" words i
  case "$prev" in
    ${words(fileFlags).split(' ').join('|') || '--no-such-flag'}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${words(withValue.filter((item) => item.value === 'text')).split(' ').join('|') || '--no-such-flag'}) COMPREPLY=(); return ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${words(withValue).split(' ').join('|')}) ((i++)) ;;
      -*) ;;
      *) command="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$command" in
${cases}
    *) words="${commands.map((command) => command.name).join(' ')} ${words(globals)}" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _dash_cli dash-cli
`;
}

/** Text safe inside a zsh _arguments/_describe spec in single quotes. */
const zshText = (text: string) => text.replace(/'/g, '').replace(/\[/g, '(').replace(/\]/g, ')').replace(/:/g, ' -');

function zshSpecs(flags: Flag[]): string {
  return flags
    .flatMap((item) => {
      const value = item.value === 'none' ? '' : item.value === 'file' ? ':path:_files' : ':value: ';
      const names = [item.long && `--${item.long}`, item.short && `-${item.short}`].filter(Boolean) as string[];
      const group = names.length > 1 ? `(${names.join(' ')})` : '';
      const spec = names.length > 1 ? `{${names.join(',')}}` : names[0];
      return `    ${group ? `'${group}'` : ''}${spec}'[${zshText(item.description)}]${value}'`;
    })
    .join(' \\\n');
}

function zsh({ globals, commands }: Tree): string {
  const cases = commands
    .map((command) => `    ${command.name})\n      _arguments -s \\\n${zshSpecs([...command.flags, ...globals])}${command.operands.length > 0 ? ` \\\n    ':${command.name === 'completion' ? 'shell' : command.name === 'outputs' ? 'action' : 'command'}:(${command.operands.join(' ')})'` : ''}\n      ;;`)
    .join('\n');
  return `#compdef dash-cli
# zsh completion for dash-cli (dash-cli completion zsh)
_dash-cli() {
  local -a commands
  commands=(
${commands.map((command) => `    '${command.name}:${zshText(command.description)}'`).join('\n')}
  )
  local i=2
  while (( i < CURRENT )) && [[ \${words[i]} == -* ]]; do (( i++ )); done
  if (( CURRENT <= i )); then
    _describe -t commands 'dash-cli command' commands
    return
  fi
  case \${words[i]} in
${cases}
  esac
}
if [[ \${funcstack[1]} == _dash-cli ]]; then _dash-cli "$@"; else compdef _dash-cli dash-cli; fi
`;
}

const fishText = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishFlags(flags: Flag[], condition: string): string[] {
  return flags.map((item) => {
    const parts = ['complete -c dash-cli', condition && `-n ${fishText(condition)}`, item.short && `-s ${item.short}`, item.long && `-l ${item.long}`];
    if (item.value !== 'none') parts.push(item.value === 'file' ? '-r -F' : '-r');
    parts.push(`-d ${fishText(item.description)}`);
    return parts.filter(Boolean).join(' ');
  });
}

function fish({ globals, commands }: Tree): string {
  const lines = ['# fish completion for dash-cli (dash-cli completion fish)', 'complete -c dash-cli -f', ...fishFlags(globals, '')];
  for (const command of commands) {
    lines.push(`complete -c dash-cli -n __fish_use_subcommand -a ${command.name} -d ${fishText(command.description)}`);
    lines.push(...fishFlags(command.flags, `__fish_seen_subcommand_from ${command.name}`));
    if (command.operands.length > 0) lines.push(`complete -c dash-cli -n '__fish_seen_subcommand_from ${command.name}' -a '${command.operands.join(' ')}'`);
  }
  return `${lines.join('\n')}\n`;
}

/** Prints the script for `shell`; an unknown shell is a usage error. */
export function runCompletion(shell: string, program: Command): ExitCode {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new DashError('USAGE', `no completion for shell "${shell}"`, { hint: `one of: ${SHELLS.join(', ')}, e.g. dash-cli completion bash` });
  }
  const generate: Record<Shell, (tree: Tree) => string> = { bash, zsh, fish };
  process.stdout.write(generate[shell as Shell](tree(program)));
  return EXIT.ok;
}
