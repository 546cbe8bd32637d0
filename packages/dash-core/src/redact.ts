const MASK = '***';

/**
 * Secrets shorter than this are not searched for in free text: a value like "1" or "toggl" is
 * also an ordinary word, number or id, and masking it would rewrite the message around it
 * ("line ***", "dash-plugin-***"). Such a value guards nothing anyway (it can be guessed); the
 * structural rules below (URL credentials, Authorization headers) and never echoing a secret
 * option's value in validation errors still hold for it.
 */
export const MIN_MASKED_LENGTH = 8;

/** A secret is masked only as a whole token: not preceded or followed by a letter, digit or `_`. */
const WORD = /[\p{L}\p{N}_]/u;

/** `scheme://user:password@` in a URL: the credentials are masked whatever their length. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
const AUTHORIZATION = /(authorization:\s*)(basic|bearer)\s+[^\s"',]+/gi;

/**
 * Masks secrets in diagnostics: error messages, log lines, `--verbose`. Never applied to data
 * (JSON, the summary, the dashboard, the cache): data is built from values that hold no secret.
 *
 * What is masked: each registered secret of at least MIN_MASKED_LENGTH characters where it
 * appears as a whole token; the credentials of any URL (`https://***@host`); the value of an
 * `Authorization: Basic|Bearer` header.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  add(...secrets: (string | undefined | null)[]): this {
    for (const secret of secrets) {
      if (typeof secret === 'string' && secret.length >= MIN_MASKED_LENGTH) this.#secrets.add(secret);
    }
    return this;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) out = maskWhole(out, secret);
    return out.replace(URL_CREDENTIALS, `$1${MASK}@`).replace(AUTHORIZATION, `$1$2 ${MASK}`);
  }
}

/** `text` with every whole-token occurrence of `secret` replaced by `***` (any length). */
export function maskWhole(text: string, secret: string): string {
  if (secret === '') return text;
  let out = '';
  let from = 0;
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
    if (at < from) continue;
    const before = at > 0 ? text[at - 1]! : '';
    const after = text[at + secret.length] ?? '';
    if ((before && WORD.test(before)) || (after && WORD.test(after))) continue;
    out += text.slice(from, at) + MASK;
    from = at + secret.length;
  }
  return out + text.slice(from);
}
