import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page script, built by tsup from packages/dash-cli/web/app.ts next to this chunk (dist/web/app.js). */
const SCRIPT_FILE = join(dirname(fileURLToPath(import.meta.url)), 'web', 'app.js');

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fafafa;--muted:#5c5c5c;--line:#c8c8c8;--card:#fff;font:16px/1.45 system-ui,sans-serif}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#151515;--muted:#aaa;--line:#444;--card:#1f1f1f}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg)}
header,main{max-width:72rem;margin:0 auto;padding:.75rem 1rem}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.5rem 1.5rem}h1{font-size:1.3rem;margin:0}
h2{font-size:1.05rem;margin:1.25rem 0 .5rem}.muted{color:var(--muted)}
section{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.25rem 1rem 1rem;margin-bottom:1rem}
button{font:inherit;padding:.35rem .8rem;border:1px solid var(--line);border-radius:4px;background:var(--card);color:var(--fg);cursor:pointer}
:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.clock{font-size:1.25rem;font-variant-numeric:tabular-nums}.clock strong{font-size:1.5rem}
.sources{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.5rem 0 0}
.status-error,.status-rate-limited{font-weight:700}
nav{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
.bar{position:relative;display:flex;height:2.25rem;border:1px solid var(--fg);border-radius:3px;overflow:hidden;margin:.75rem 0 .25rem}
.bar.thin{height:1rem}
.seg{height:100%;background-color:var(--c,#888);display:flex;align-items:center;justify-content:center;font-weight:700;font-size:.8rem;color:#000;text-shadow:0 0 3px #fff;overflow:hidden;min-width:0}
.goal{position:absolute;top:-1px;bottom:-1px;width:0;border-left:3px dashed var(--fg)}
.over{background-image:repeating-linear-gradient(90deg,transparent 0 6px,rgba(0,0,0,.35) 6px 8px)}
.p1{background-image:repeating-linear-gradient(45deg,rgba(255,255,255,.55) 0 3px,transparent 3px 9px)}
.p2{background-image:repeating-linear-gradient(-45deg,rgba(0,0,0,.35) 0 3px,transparent 3px 9px)}
.p3{background-image:repeating-linear-gradient(90deg,rgba(255,255,255,.55) 0 2px,transparent 2px 7px)}
.p4{background-image:repeating-linear-gradient(0deg,rgba(0,0,0,.35) 0 2px,transparent 2px 7px)}
.p5{background-image:radial-gradient(rgba(255,255,255,.7) 1.5px,transparent 2px);background-size:7px 7px}
.p6{background-image:repeating-linear-gradient(45deg,rgba(0,0,0,.3) 0 2px,transparent 2px 8px),repeating-linear-gradient(-45deg,rgba(0,0,0,.3) 0 2px,transparent 2px 8px)}
.p7{background-image:repeating-linear-gradient(45deg,rgba(255,255,255,.6) 0 8px,transparent 8px 16px)}
.legend{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.35rem 1rem;margin:.5rem 0 0}
.legend li{display:flex;gap:.5rem;align-items:center}.swatch{display:inline-flex;align-items:center;justify-content:center;width:1.6rem;height:1.2rem;border:1px solid var(--fg);font-size:.75rem;font-weight:700;color:#000;text-shadow:0 0 3px #fff}
.days{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:.75rem}
.day{border:1px solid var(--line);border-radius:4px;padding:.5rem;outline-offset:2px}.day.today{border:2px solid var(--fg)}
.day h3{font-size:.95rem;margin:0 0 .25rem;display:flex;justify-content:space-between;gap:.5rem}
.progress{height:.5rem;border:1px solid var(--fg);border-radius:2px;overflow:hidden;margin-bottom:.35rem}.progress span{display:block;height:100%;background:var(--fg)}
canvas{width:100%;height:auto;image-rendering:pixelated;display:block;border:1px solid var(--line)}
.day ul{list-style:none;padding:0;margin:.35rem 0 0;font-size:.85rem}
#detail{margin-top:.75rem}#detail table{border-collapse:collapse;width:100%;font-size:.9rem}#detail td,#detail th{text-align:left;padding:.2rem .5rem;border-bottom:1px solid var(--line)}
.num{font-variant-numeric:tabular-nums}.signin{max-width:36rem;margin:3rem auto;padding:1rem}
@media (max-width:30rem){header,main{padding:.5rem}section{padding:.25rem .6rem .75rem}}
`;

const BODY = `
<header><h1>Dash</h1><p id="conn" class="muted" role="status" aria-live="polite">connecting…</p><p id="last-event" class="muted" aria-live="polite"></p></header>
<main id="app" aria-busy="true">
<section aria-labelledby="now-h"><h2 id="now-h">Now</h2><p id="clock" class="clock" data-testid="clock">…</p><ul id="sources" class="sources" aria-label="sources"></ul></section>
<section aria-labelledby="week-h"><h2 id="week-h">Week <span id="week-label"></span></h2>
<nav aria-label="weeks"><button id="prev" type="button" aria-keyshortcuts="ArrowLeft">← previous</button><button id="this-week" type="button" aria-keyshortcuts="t">this week</button><button id="next" type="button" aria-keyshortcuts="ArrowRight">next →</button><span class="muted">keys: ← → t</span></nav>
<p id="week-total" class="num" data-testid="week-total"></p>
<div id="week-bar" class="bar" role="img"></div>
<p id="billable-total" class="num" data-testid="billable-total"></p>
<div id="billable-bar" class="bar thin" role="img"></div>
<ul id="legend" class="legend" aria-label="projects this week"></ul></section>
<section aria-labelledby="days-h"><h2 id="days-h">Days</h2><p class="muted">Each day: one row per hour, one cell per minute. Focus or hover a day for its entries.</p><div id="days" class="days"></div><div id="detail" aria-live="polite"></div></section>
</main>`;

let script: string | undefined;
let scriptHash: string | undefined;

function pageScript(): string {
  if (script === undefined) {
    script = readFileSync(SCRIPT_FILE, 'utf8').replace(/<\/script/gi, '<\\/script');
    scriptHash = createHash('sha256').update(script).digest('base64');
  }
  return script;
}

const document = (title: string, body: string, extra = '') =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${title}</title><style>${STYLE}</style></head><body>${body}${extra}</body></html>\n`;

/** The live dashboard: one self-contained document (style and script inline, nothing from elsewhere). */
export function dashboardPage(): string {
  return document('Dash', BODY, `<script>${pageScript()}</script>`);
}
/** Only the inline script may run; the page talks to this server alone. */
dashboardPage.headers = {
  get 'Content-Security-Policy'() {
    pageScript();
    return `default-src 'none'; script-src 'sha256-${scriptHash}'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  },
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as Record<string, string>;

/** What a browser without the token sees (status 401): how to sign in, and no data. */
export function signInPage(): string {
  return document(
    'Dash: sign in',
    `<main class="signin"><h1>Dash: sign in</h1><p data-testid="sign-in">This dashboard needs its token. Open the address <code>dash-cli serve</code> printed when it started (it ends in <code>/?token=…</code>); the browser then keeps the token in a cookie.</p><p class="muted">The token is in <code>$DASH_SERVE_TOKEN</code>, the config's <code>[serve] token</code>, or the file <code>serve-token</code> in Dash's data folder (~/.local/share/dash).</p></main>`,
  );
}
signInPage.headers = { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", 'X-Content-Type-Options': 'nosniff' } as Record<string, string>;
