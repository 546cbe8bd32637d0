import { z } from 'zod';

import { parseDuration } from './duration-text.js';

export { parseDuration, formatDuration } from './duration-text.js';

/**
 * A config value that is either a plain number of `unit`s or a duration string; both become
 * whole seconds.
 */
function numberOrDuration(unit: { name: string; seconds: number; example: string; maxSeconds: number; max: string }) {
  return z
    .union([z.number(), z.string()], { message: `must be a number of ${unit.name} or a duration like "${unit.example}"` })
    .transform((value, ctx) => {
      let seconds: number;
      if (typeof value === 'number') {
        if (!Number.isFinite(value) || value < 0) {
          ctx.addIssue({ code: 'custom', message: `must be a non-negative number of ${unit.name}` });
          return z.NEVER;
        }
        seconds = Math.round(value * unit.seconds);
      } else {
        const parsed = parseDuration(value);
        if (parsed === undefined) {
          ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (try "${unit.example}" or a number of ${unit.name})` });
          return z.NEVER;
        }
        seconds = parsed;
      }
      if (seconds > unit.maxSeconds) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${unit.max}` });
        return z.NEVER;
      }
      return seconds;
    });
}

/** A goal in config: hours as a number (7.5) or a duration string ("7h30m"); at most a week, 168 h. */
export const hoursOrDuration = numberOrDuration({ name: 'hours', seconds: 3600, example: '7h30m', maxSeconds: 168 * 3600, max: '168 hours (a week)' });

/** An interval in config: a number of seconds or a duration string ("5m", "90s"); at most 7 days (Node's timers end at 24.8). */
export const secondsOrDuration = numberOrDuration({ name: 'seconds', seconds: 1, example: '5m', maxSeconds: 7 * 86_400, max: '7 days' });
