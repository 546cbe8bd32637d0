/**
 * Best-effort source positions for config issues: TOML parsing gives plain objects, so a
 * schema issue at `backends[1].api_token` is found again by scanning for the second
 * `[[backends]]` header and the `api_token =` line under it.
 */
export function locateKey(text: string, path: string): { line: number; column: number } | undefined {
  const segments = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  if (segments.length === 0) return undefined;
  const lines = text.split(/\r?\n/);
  const isHeader = (line: string) => /^\s*\[/.test(line);
  const keyPattern = (key: string) =>
    new RegExp(`^\\s*(?:"${escape(key)}"|'${escape(key)}'|${escape(key)})\\s*=`);

  let from = 0;
  let to = lines.length;
  let index = 0;
  const first = segments[0]!;
  const second = segments[1];
  if (second?.startsWith('[')) {
    // An array of tables: [[backends]] number n.
    const wanted = Number(second.slice(1, -1));
    const header = new RegExp(`^\\s*\\[\\[\\s*${escape(first)}\\s*\\]\\]`);
    let seen = -1;
    from = -1;
    for (let line = 0; line < lines.length; line++) {
      if (header.test(lines[line]!)) seen++;
      if (seen === wanted) {
        from = line;
        break;
      }
    }
    if (from < 0) {
      // No [[first]] header: an inline array (`workdays = [...]`); point at its key.
      return segments.length === 2 || !lines.some((line) => header.test(line))
        ? locateKey(text, first)
        : undefined;
    }
    to = lines.findIndex((line, at) => at > from && isHeader(line));
    if (to < 0) to = lines.length;
    index = 2;
    if (segments.length === 2) return { line: from + 1, column: lines[from]!.search(/\S/) + 1 };
  } else if (segments.length > 1) {
    const header = new RegExp(`^\\s*\\[\\s*${escape(first)}\\s*\\]`);
    const at = lines.findIndex((line) => header.test(line));
    if (at >= 0) {
      from = at;
      to = lines.findIndex((line, l) => l > at && isHeader(line));
      if (to < 0) to = lines.length;
      index = 1;
    }
  } else {
    to = lines.findIndex(isHeader);
    if (to < 0) to = lines.length;
  }
  const key = segments[index];
  if (key === undefined) return undefined;
  for (let line = from; line < to; line++) {
    if (line >= 0 && keyPattern(key).test(lines[line]!)) return { line: line + 1, column: lines[line]!.search(/\S/) + 1 };
  }
  // A key missing from its [[table]] (a required option, a default id): point at the header.
  if (index === 2) return { line: from + 1, column: lines[from]!.search(/\S/) + 1 };
  // A table header that stands for the key itself ([goals]).
  const header = new RegExp(`^\\s*\\[\\s*${escape(key)}\\s*\\]`);
  const at = lines.findIndex((line) => header.test(line));
  return at >= 0 ? { line: at + 1, column: 1 } : undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
