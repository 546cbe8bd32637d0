/** How many answers a remembered function keeps before it starts afresh. */
const KEPT = 4096;

/**
 * A zone's reading of a date or an instant never changes: `read` remembered, so what is asked
 * again (a week's day starts and hour rows, rebuilt every minute and on every poll) costs no Intl
 * call. Bounded: when full, it forgets everything and starts again.
 */
export function remembered<A extends string | number, T>(read: (value: A, timeZone: string) => T): (value: A, timeZone: string) => T {
  const memory = new Map<string, T>();
  return (value, timeZone) => {
    const key = `${timeZone} ${value}`;
    let answer = memory.get(key);
    if (answer === undefined) {
      if (memory.size >= KEPT) memory.clear();
      answer = read(value, timeZone);
      memory.set(key, answer);
    }
    return answer;
  };
}
