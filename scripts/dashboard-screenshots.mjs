#!/usr/bin/env node
// Screenshots of `dash-cli watch --demo` at 80×24, 120×40 and 200×60 (and 80×24 after `p`) for the README: each drawn in a
// real terminal (a private tmux server), captured with its colours (`tmux capture-pane -e -p`), the
// ANSI turned into HTML here and photographed by Chromium (playwright-core) into docs/dashboard-WxH.png.
// The demo's clock is fixed (--at) so the pictures do not change from run to run.
//   node scripts/dashboard-screenshots.mjs            (needs tmux and /usr/bin/chromium, after npm run build)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/dash-cli/dist/bin.cjs');
/** Wednesday 18 Nov 2026, 16:40 in Berlin. */
const AT = '2026-11-18T15:40:00Z';
/** Each picture: its size, and a key pressed first (80×24 has no room for panels: `p` shows the pace full-size). */
const SHOTS = [
  { width: 80, height: 24 },
  { width: 120, height: 40 },
  { width: 200, height: 60 },
  { width: 80, height: 24, key: 'p', name: 'pace', shows: 'Today ·' },
];
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** xterm's 16 colours and the 256-colour cube and grey ramp. */
function palette256(index) {
  const base = ['#000000', '#cd0000', '#00cd00', '#cdcd00', '#0000ee', '#cd00cd', '#00cdcd', '#e5e5e5', '#7f7f7f', '#ff0000', '#00ff00', '#ffff00', '#5c5cff', '#ff00ff', '#00ffff', '#ffffff'];
  if (index < 16) return base[index];
  if (index < 232) {
    const n = index - 16;
    const level = (v) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(n / 36))},${level(Math.floor(n / 6) % 6)},${level(n % 6)})`;
  }
  const grey = 8 + (index - 232) * 10;
  return `rgb(${grey},${grey},${grey})`;
}

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** ANSI SGR (as tmux gives it) → HTML spans. */
export function ansiToHtml(ansi) {
  let fg = null;
  let bg = null;
  let bold = false;
  let inverse = false;
  let html = '';
  const span = (text) => {
    if (!text) return;
    let [f, b] = [fg, bg];
    if (inverse) [f, b] = [b ?? '#101010', f ?? '#d0d0d0'];
    const style = [f ? `color:${f}` : '', b ? `background:${b}` : '', bold ? 'font-weight:bold' : ''].filter(Boolean).join(';');
    html += style ? `<span style="${style}">${escapeHtml(text)}</span>` : escapeHtml(text);
  };
  const parts = ansi.split(/(\x1b\[[0-9;:]*m)/);
  for (const part of parts) {
    const sgr = /^\x1b\[([0-9;:]*)m$/.exec(part);
    if (!sgr) {
      span(part);
      continue;
    }
    const codes = sgr[1] === '' ? [0] : sgr[1].split(/[;:]/).map(Number);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i];
      if (code === 0) [fg, bg, bold, inverse] = [null, null, false, false];
      else if (code === 1) bold = true;
      else if (code === 22) bold = false;
      else if (code === 7) inverse = true;
      else if (code === 27) inverse = false;
      else if (code >= 30 && code <= 37) fg = palette256(code - 30);
      else if (code >= 90 && code <= 97) fg = palette256(code - 90 + 8);
      else if (code >= 40 && code <= 47) bg = palette256(code - 40);
      else if (code >= 100 && code <= 107) bg = palette256(code - 100 + 8);
      else if (code === 39) fg = null;
      else if (code === 49) bg = null;
      else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
        const color = palette256(codes[i + 2]);
        if (code === 38) fg = color;
        else bg = color;
        i += 2;
      } else if ((code === 38 || code === 48) && codes[i + 1] === 2) {
        const color = `rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})`;
        if (code === 38) fg = color;
        else bg = color;
        i += 4;
      }
    }
  }
  return html;
}

function tmux(socket, ...args) {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

async function capture({ width, height, key, shows }, home) {
  const socket = `dash-shots-${process.pid}-${width}`;
  const env = ['HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME'].map((name) => `${name}=${home}`);
  const command = `env -i PATH=${process.env.PATH} ${env.join(' ')} TZ=Europe/Berlin TERM=xterm-256color LANG=C.UTF-8 ${process.execPath} ${CLI} watch --demo --at ${AT}`;
  tmux(socket, 'new-session', '-d', '-s', 'shot', '-x', String(width), '-y', String(height), command);
  const waitFor = async (ready) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const text = tmux(socket, 'capture-pane', '-p', '-t', 'shot');
      if (ready(text)) return;
      if (Date.now() > deadline) throw new Error(`the dashboard did not draw at ${width}×${height}:\n${text}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  };
  try {
    await waitFor((text) => text.includes('q quit') && text.includes('synced') && (width < 100 || (text.includes('Pace ·') && text.includes('Today ·'))));
    if (key) {
      tmux(socket, 'send-keys', '-t', 'shot', key);
      await waitFor((text) => text.includes(`${key}/Esc back`) && text.includes(shows));
    }
    await new Promise((done) => setTimeout(done, 600));
    return tmux(socket, 'capture-pane', '-e', '-p', '-t', 'shot');
  } finally {
    tmux(socket, 'kill-server');
  }
}

const home = mkdtempSync(join(tmpdir(), 'dash-shots-'));
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const shot of SHOTS) {
    const { width, height } = shot;
    const ansi = await capture(shot, home);
    const lines = ansi.replace(/\n$/, '').split('\n').map(ansiToHtml);
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const html = `<!doctype html><meta charset="utf-8"><style>
      body { margin: 0; background: #101010; }
      pre { margin: 0; padding: 12px; color: #d0d0d0; font: 14px/1.2 "DejaVu Sans Mono", "Noto Sans Mono", monospace; display: inline-block; }
      </style><pre id="screen">${lines.join('\n')}</pre>`;
    await page.setContent(html);
    const file = join(ROOT, 'docs', `dashboard-${width}x${height}${shot.name ? `-${shot.name}` : ''}.png`);
    await page.locator('#screen').screenshot({ path: file });
    await page.close();
    writeFileSync(join(home, `${width}x${height}${shot.name ?? ''}.ansi`), ansi);
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  rmSync(home, { recursive: true, force: true });
}
