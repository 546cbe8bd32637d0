import { Store } from 'dash-core/host';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../src/snapshot/summary.js';
import { Canvas } from '../src/watch/canvas.js';
import { renderDashboard } from '../src/watch/render.js';
import { NOW, snapshotOf } from './fixtures.js';

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const EVIL = '\u001b[2J\u001b]0;t\u0007Evil\rX\u202e';

function hostileStore(): Store {
  const store = new Store();
  const handle = store.addSource('src\u001b[31m', 'dash-plugin-x');
  const project = { key: 'k', name: EVIL, client: EVIL, color: '#123456' };
  handle.upsert([{ id: '1', start: '2026-11-20T09:00:00Z', end: '2026-11-20T10:00:00Z', project, description: EVIL, billable: true }]);
  handle.setRunning({ id: '2', start: '2026-11-20T15:00:00Z', end: null, project, description: `run ${EVIL}`, billable: false });
  handle.setStatus({ status: 'error', error: { code: 'X\u001b', message: `failed ${EVIL}` } });
  return store;
}

describe('nothing a backend sends reaches the terminal as a control character', () => {
  it('the canvas replaces control characters in everything written to it, one cell for one', () => {
    const canvas = new Canvas(20, 1);
    expect(canvas.put(0, 0, 'a\u001b[2Jb\rc')).toBe(8);
    expect(canvas.line(0).trimEnd()).toBe('a\ufffd[2Jb c');
  });

  it('a dashboard frame of hostile names, descriptions and errors, at three sizes', () => {
    const snapshot = snapshotOf(hostileStore());
    for (const [width, height] of [[200, 60], [100, 30], [70, 24]] as const) {
      const text = renderDashboard({ snapshot, now: NOW, selectedDay: 4, weekOffset: 0, help: false, mono: false, notice: null }, width, height).canvas.text();
      expect(text).not.toMatch(CONTROL);
      expect(text).toContain('Evil X');
    }
  });

  it('the human summary', async () => {
    const text = await formatSummary(snapshotOf(hostileStore()));
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('\ufffd[2J\ufffd]0;t\ufffdEvil X\ufffd');
    expect(text).toContain('error: failed');
  });
});
