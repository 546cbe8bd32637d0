/**
 * Text from a backend (a project name, a description, an error message, a user's full name) is
 * data: on a terminal it must never act as a command. ESC starts escape sequences (clear the
 * screen, set the title, paste into the shell), CR and BS overwrite what is shown, BEL rings,
 * NUL and the other C0/C1 controls do what the terminal pleases, and the bidirectional controls
 * reorder what the reader sees (the "Trojan Source" trick).
 */

/**
 * Characters that move the cursor or end a line: shown as one space, so "Fix bug\nin parser"
 * stays readable on one line: TAB, LF, VT, FF, CR, NEL, LINE and PARAGRAPH SEPARATOR.
 */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;

/**
 * Everything else that is not text: C0 controls (NUL, BEL, BS, ESC…), DEL, C1 controls (CSI
 * U+009B among them), the bidirectional marks, embeddings, overrides and isolates, and lone
 * surrogates (half an emoji, cut by a careless truncation upstream).
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What a control character is shown as: U+FFFD REPLACEMENT CHARACTER, one column wide. */
export const REPLACEMENT = '\ufffd';

/**
 * The one rule for every string a terminal shows (the human summary, the dashboard, `doctor`,
 * `plugins`, error and log lines): line breaks and tabs become a space, every other control
 * character, bidi control and lone surrogate becomes U+FFFD. One character in, one out, so
 * widths computed on the result are what the terminal shows. JSON output keeps the raw string
 * (JSON.stringify escapes it).
 */
export function terminalText(text: string): string {
  return text.replace(BREAKS, ' ').replace(CONTROLS, REPLACEMENT);
}

/**
 * Like terminalText, for text that may span lines on purpose (an error with its detail lines,
 * a TOML code block): LF is kept, everything else as terminalText.
 */
export function terminalLines(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}

/** Whether a terminal would act on something in `text` (what terminalText replaces). */
export function hasControlCharacters(text: string): boolean {
  return terminalText(text) !== text;
}

/** What JSON.stringify leaves raw but a terminal acts on: DEL, C1 controls, bidi controls, LS/PS. */
const UNESCAPED = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * JSON for stdout: JSON.stringify (which escapes C0 controls and lone surrogates) with the rest
 * of what a terminal acts on escaped too (`\u202e`). Only inside strings can such characters
 * appear, so the result parses to exactly the same value: data is escaped, never rewritten.
 */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(UNESCAPED, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
