import { STATUS_PRESETS, type StatusFormat, type StatusPreset } from './formats.js';
import { checkTemplate, StatusOptionError } from './template.js';

export { StatusOptionError };

/** `dash-cli status`'s own options (parseArgs form; cli.ts declares the same for commander and help). */
export const STATUS_OPTIONS = {
  format: { type: 'string' },
  follow: { type: 'boolean' },
  waybar: { type: 'boolean' },
  polybar: { type: 'boolean' },
  i3blocks: { type: 'boolean' },
  tmux: { type: 'boolean' },
  swiftbar: { type: 'boolean' },
} as const;

/**
 * The format the options ask for: at most one preset (--waybar …), and a --format template whose
 * fields all exist. Throws StatusOptionError (TemplateError) otherwise.
 */
export function statusFormatOf(values: Record<string, unknown>): StatusFormat {
  const presets = STATUS_PRESETS.filter((preset): preset is Exclude<StatusPreset, 'plain'> => preset !== 'plain' && values[preset] === true);
  if (presets.length > 1) throw new StatusOptionError(`${presets.map((preset) => `--${preset}`).join(' and ')} contradict each other: choose one bar`);
  const template = typeof values.format === 'string' ? values.format : undefined;
  if (template !== undefined) checkTemplate(template);
  return { preset: presets[0] ?? 'plain', template, follow: values.follow === true };
}
