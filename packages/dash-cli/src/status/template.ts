import { STATUS_FIELDS, type StatusField, type StatusValues } from './fields.js';

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** A status option that cannot be honoured: its message is the usage error's. */
export class StatusOptionError extends Error {}

/** A `--format` template that names a field that does not exist: what is wrong, and what exists. */
export class TemplateError extends StatusOptionError {
  constructor(readonly field: string) {
    super(`--format names {${field}}, which is not a status field; the fields are ${STATUS_FIELDS.map((name) => `{${name}}`).join(' ')}`);
  }
}

/** Throws a TemplateError for the first unknown field of `template`. */
export function checkTemplate(template: string): void {
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!(STATUS_FIELDS as readonly string[]).includes(match[1]!)) throw new TemplateError(match[1]!);
  }
}

/**
 * Fills a template: `{field}` becomes the field's value (already escaped for the bar by the
 * caller), everything else is kept as written, so a template can hold the bar's own markup
 * (`#[fg=red]` for tmux, `%{F#f00}` for polybar, Pango for waybar).
 */
export function fillTemplate(template: string, values: StatusValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in values ? values[name as StatusField] : whole));
}

/** The line without --format: what runs and for how long, then today and the week against their goals. */
export function defaultLine(values: StatusValues, tracking: boolean): string {
  const against = (done: string, goal: string) => (goal ? `${done}/${goal}` : done);
  const parts = [tracking ? `▶ ${values.project} ${values.elapsed}` : '⏸ idle', `today ${against(values.today, values.todayGoal)}`, `week ${against(values.week, values.weekGoal)}`];
  if (values.pace) parts.push(`pace ${values.pace}`);
  return parts.join(' · ');
}
