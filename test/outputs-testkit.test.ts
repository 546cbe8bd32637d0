/**
 * dash-core/testing for outputs: runOutputPlugin and createOutputTestContext drive an output the
 * way the host does — the fixture file output, and the built-in webhook (its module, in this
 * process) against a real receiver checking signatures with standardwebhooks.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type DashEvent } from 'dash-core';
import { eventId } from 'dash-core/host';
import { createOutputTestContext, runOutputPlugin } from 'dash-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { output as webhook } from '../packages/dash-cli/src/outputs/webhook/index.js';
import { FIXTURES } from './support/cli.js';
import { newSecret, Receiver } from './support/webhook-receiver.js';

const clockIn = (n: number): DashEvent => ({
  id: eventId('clock.in', ['kit', `e${n}`, '2026-11-18T09:00:00Z']),
  type: 'clock.in',
  timestamp: '2026-11-18T09:00:05Z',
  data: { source: 'kit', entry: { id: `e${n}`, start: '2026-11-18T09:00:00Z', project: null, description: `n${n}`, billable: false } },
});

describe('dash-core/testing: outputs', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('runOutputPlugin validates, creates, feeds events and entries in order, and disposes (a local output plugin)', async () => {
    const { output } = (await import(join(FIXTURES, 'plugins', 'file-output-plugin.mjs'))) as { output: Parameters<typeof runOutputPlugin>[0] };
    const context = createOutputTestContext();
    const file = join(context.context.dataDir, 'out.jsonl');
    cleanups.push(() => rmSync(dirname(dirname(context.context.dataDir)), { recursive: true, force: true }));
    await runOutputPlugin(output, { file }, { dataDir: context.context.dataDir, instance: 'kit', events: [clockIn(1), clockIn(2)], entries: [] });
    expect(readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as object)).toEqual([
      { output: 'test', instance: 'kit', kind: 'event', type: 'clock.in', id: clockIn(1).id },
      { output: 'test', instance: 'kit', kind: 'event', type: 'clock.in', id: clockIn(2).id },
      { output: 'test', instance: 'kit', kind: 'entries', ids: [] },
    ]);
    await expect(runOutputPlugin(output, { file: 1 })).rejects.toThrow(/invalid options for dash-plugin-file-output: file: /);
  });

  it('the webhook module: events queued and delivered signed, in order; a passive instance reads the outbox without sending', async () => {
    const secret = newSecret();
    const receiver = new Receiver(secret);
    await receiver.listen();
    cleanups.push(() => receiver.close());
    const events = [clockIn(1), clockIn(2), clockIn(3)];
    const run = await runOutputPlugin(webhook, { url: receiver.url, secret }, { events, keep: true });
    cleanups.push(() => rmSync(dirname(dirname(run.context.dataDir)), { recursive: true, force: true }));
    await receiver.until((d) => d.length === 3);
    // The last answer is taken in (stopping during an attempt leaves it queued: at least once).
    await expect.poll(() => run.output.state().delivered, { timeout: 5_000 }).toBe(3);
    run.stop();
    await run.output.dispose?.();
    expect(receiver.deliveries.map((d) => [d.id, d.verified])).toEqual(events.map((event) => [event.id, true]));
    expect(run.output.state()).toMatchObject({ status: 'ok', queued: 0, delivered: 3 });
    // The secret never reached a log line.
    expect(run.logs.join('\n')).not.toContain(secret.slice('whsec_'.length));

    // Receiver down: one more event stays queued; a passive instance on the same dataDir sees it and sends nothing.
    await receiver.close();
    const down = await runOutputPlugin(webhook, { url: receiver.url, secret }, { dataDir: run.context.dataDir, events: [clockIn(4)], keep: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    down.stop();
    await down.output.dispose?.();
    const passive = await runOutputPlugin(webhook, { url: receiver.url, secret }, { dataDir: run.context.dataDir, passive: true });
    expect(passive.output.state()).toMatchObject({ status: 'failing', queued: 1, delivered: 3, lastError: { code: 'ECONNREFUSED' } });
  });
});
