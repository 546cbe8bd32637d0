const MASK = '***';

/**
 * Remembers every secret Dash knows of (values from the environment, options a plugin marks
 * secret, tokens) and masks them in any text about to be shown or logged.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  add(...secrets: (string | undefined | null)[]): this {
    for (const secret of secrets) {
      // Very short values would mask ordinary words; a real token is never this short.
      if (typeof secret === 'string' && secret.length >= 4) this.#secrets.add(secret);
    }
    return this;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(MASK);
    }
    return out.replace(/(authorization:\s*)(basic|bearer)\s+[^\s"',]+/gi, `$1$2 ${MASK}`);
  }
}
