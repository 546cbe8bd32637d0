import { jsonText, type Snapshot } from 'dash-core/snapshot';
import { statusFacts, type StatusFacts, type StatusValues } from './fields.js';
import { defaultLine, fillTemplate } from './template.js';

/** The bars `dash-cli status` has a preset for (plain: the line as it is). */
export const STATUS_PRESETS = ['plain', 'waybar', 'polybar', 'i3blocks', 'tmux', 'swiftbar'] as const;
export type StatusPreset = (typeof STATUS_PRESETS)[number];

export interface StatusFormat {
  preset: StatusPreset;
  /** --format: the line's template (checked by checkTemplate); default: defaultLine. */
  template?: string | undefined;
  /** --follow: each update as the bar's streaming protocol wants it. */
  follow?: boolean;
}

/** The fields that come from a backend (names, descriptions): the ones a bar's markup must not see raw. */
const BACKEND_FIELDS = ['project', 'client', 'description', 'source'] as const;

interface Bar {
  /** Makes backend text inert in the bar's markup. */
  escape(text: string): string;
  /** Colours the ▶ marker of the default line with the running project's colour. */
  paint?(marker: string, color: string): string;
  /** The output for one update, newline-terminated. */
  render(line: string, facts: StatusFacts, details: string[], follow: boolean): string;
}

const PANGO: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const pango = (text: string) => text.replace(/[&<>"']/g, (char) => PANGO[char]!);

const BARS: Record<StatusPreset, Bar> = {
  plain: {
    escape: (text) => text,
    render: (line) => `${line}\n`,
  },
  // waybar's custom module, return-type json: one object per line; text and tooltip are Pango markup.
  waybar: {
    escape: pango,
    render: (line, facts, details) => {
      const classes = [facts.values.state];
      if (facts.problems.length > 0) classes.push('error');
      if (facts.paceSeconds !== null) classes.push(facts.paceSeconds < 0 ? 'behind' : 'ahead');
      const object = { text: line, tooltip: details.map(pango).join('\n'), class: classes, percentage: facts.percentage ?? 0 };
      return `${jsonText(object, 0)}\n`;
    },
  },
  // polybar's custom/script: %{F#rrggbb}…%{F-} tags; a backend's "%" is shown as a full-width one so it cannot open a tag.
  polybar: {
    escape: (text) => text.replace(/%/g, '％'),
    paint: (marker, color) => `%{F${color}}${marker}%{F-}`,
    render: (line) => `${line}\n`,
  },
  // i3blocks: full_text, short_text and color on three lines; --follow (interval=persist) reads one full_text per line.
  i3blocks: {
    escape: (text) => text,
    render: (line, facts, _details, follow) => {
      if (follow) return `${line}\n`;
      const short = facts.tracking ? `${facts.values.project} ${facts.values.elapsed}` : facts.values.today;
      const color = facts.problems.length > 0 ? '#FF5555' : (facts.color ?? '');
      return `${line}\n${short}\n${color}\n`;
    },
  },
  // tmux's status line: #[fg=colour] styles; a literal # is ##.
  tmux: {
    escape: (text) => text.replace(/#/g, '##'),
    paint: (marker, color) => `#[fg=${color}]${marker}#[default]`,
    render: (line) => `${line}\n`,
  },
  // SwiftBar (and xbar): the title line, then --- and the menu; "|" starts a line's parameters.
  // --follow is SwiftBar's streamable mode: each update starts with ~~~.
  swiftbar: {
    escape: (text) => text.replace(/\|/g, '│'),
    render: (line, facts, details, follow) => {
      const menu = details.map((detail) => detail.replace(/\|/g, '│'));
      const problems = new Set(facts.problems.map((problem) => problem.replace(/\|/g, '│')));
      const lines = [line, '---', ...menu.map((item) => (problems.has(item) ? `${item} | color=red` : item))];
      return `${follow ? '~~~\n' : ''}${lines.join('\n')}\n`;
    },
  },
};

/** The longer story (waybar's tooltip, SwiftBar's menu): what runs, today, the week, problems. */
function detailLines(values: StatusValues, facts: StatusFacts): string[] {
  const against = (done: string, goal: string, share: string) => (goal ? `${done} / ${goal} (${share})` : done);
  const lines: string[] = [];
  if (facts.tracking) {
    const what = [values.project, values.client && `(${values.client})`].filter(Boolean).join(' ');
    // Led by Dash's own mark: a project named "--x" cannot turn SwiftBar's line into a submenu.
    lines.push(`▶ ${what} ${values.elapsed}${values.description ? ` — ${values.description}` : ''} [${values.source}]`);
  } else {
    lines.push('⏸ Not tracking');
  }
  lines.push(`Today ${against(values.today, values.todayGoal, values.todayPercent)}, billable ${values.todayBillable}`);
  lines.push(`Week ${against(values.week, values.weekGoal, values.weekPercent)}, billable ${values.weekBillable}`);
  if (values.pace) lines.push(`Pace ${values.pace}`);
  return [...lines, ...facts.problems];
}

/** One update of `dash-cli status` for a snapshot, as the chosen bar reads it. */
export function renderStatus(snapshot: Snapshot, format: StatusFormat): string {
  const bar = BARS[format.preset];
  const facts = statusFacts(snapshot);
  const values = { ...facts.values };
  for (const name of BACKEND_FIELDS) values[name] = bar.escape(values[name]);
  const problems = facts.problems.map(bar.escape);
  const escaped = { ...facts, values, problems };
  let line: string;
  if (format.template !== undefined) {
    line = fillTemplate(format.template, values);
  } else {
    line = defaultLine(values, facts.tracking);
    if (facts.tracking && facts.color && bar.paint) line = line.replace('▶', bar.paint('▶', facts.color));
  }
  // The details are built from the raw values: each bar escapes them for its own markup.
  return bar.render(line, escaped, detailLines(facts.values, facts), format.follow === true);
}
