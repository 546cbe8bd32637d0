#!/usr/bin/env node
// `npm run test:hostile`: the suite in an environment meant to break it. A developer's
// DASH_CONFIG, a zone fourteen hours ahead of UTC, a German locale, and (where libfaketime is
// installed: `apt-get install faketime`) a clock that starts at 23:59:30 UTC on a Sunday, so the
// run crosses Monday 00:00 UTC (a new week) in its first half minute. Arguments go to vitest
// (`npm run test:hostile -- test/cache-watch.test.ts`). DASH_TEST_START=<unix seconds> picks
// another start.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

/** 23:59:30 UTC on the last Sunday before now, in unix seconds. */
function lastSundayBeforeMidnight(now = new Date()) {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (now.getUTCDay() || 7)));
  return day.getTime() / 1000 + 24 * 3600 - 30;
}

const env = { ...process.env, DASH_CONFIG: '/nonexistent/dash.toml', TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' };
if (existsSync(LIBFAKETIME)) {
  const start = Number(process.env.DASH_TEST_START ?? lastSundayBeforeMidnight());
  Object.assign(env, { LD_PRELOAD: LIBFAKETIME, FAKETIME: `@${start}`, FAKETIME_FMT: '%s', FAKETIME_DONT_RESET: '1', DONT_FAKE_MONOTONIC: '1' });
  console.log(`test:hostile: the clock starts at ${new Date(start * 1000).toISOString()} (libfaketime)`);
} else {
  console.log('test:hostile: libfaketime is not installed (apt-get install faketime): the real clock is used');
}
console.log('test:hostile: DASH_CONFIG=/nonexistent/dash.toml TZ=Pacific/Kiritimati LANG=de_DE.UTF-8');
const run = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
