import { randomBytes } from 'node:crypto';
import type { DashEvent, OutputContext } from 'dash-core';

/** The body of `dash-cli outputs test <id>`: type `dash.test` (README "Outputs"); never queued, never retried. */
export function testEvent(context: Pick<OutputContext, 'id' | 'instance' | 'now'>): { id: string; type: string; body: string } {
  const id = `evt_test_${randomBytes(12).toString('hex')}`;
  const body = JSON.stringify({
    type: 'dash.test',
    timestamp: new Date(Math.floor(context.now().getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    data: { output: context.id, instance: context.instance, message: 'a test delivery from `dash-cli outputs test`' },
  });
  return { id, type: 'dash.test', body };
}

/** The JSON body of an event: `{ type, timestamp, data }` (README § Serve, events). */
export function eventBody(event: DashEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
}
