import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE = 'dash_token';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Checks requests against the token in constant time (both sides hashed first, so neither the
 * content nor the length of the token shows in the timing): `Authorization: Bearer TOKEN`, or
 * the cookie a visit to `/?token=TOKEN` set.
 */
export function tokenChecker(token: string): (request: IncomingMessage) => boolean {
  const expected = digest(token);
  const matches = (candidate: string | undefined) => candidate !== undefined && timingSafeEqual(digest(candidate), expected);
  return (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
      return matches(bearer?.[1]);
    }
    return matches(cookieValue(request.headers.cookie, COOKIE));
  };
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The cookie a visit to `/?token=` sets: the browser sends it back, scripts on the page cannot read it. */
export function sessionCookie(token: string): string {
  return `${COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000`;
}
