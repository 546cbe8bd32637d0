import { testBackendPlugin } from 'dash-core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { startFakeToggl } from '../../../test/support/fake-toggl.js';

// The Dash plugin contract suite, run against the fake Toggl (the default clock of the suite is
// Wed 2026-11-18 12:00 UTC, its range the Monday-to-Monday UTC week around it).
testBackendPlugin(plugin, {
  describe,
  it,
  validOptions: [
    { api_token: 'abcd1234' },
    { api_token: 'abcd1234', poll_interval: '10m', workspace_id: 2230580, api_url: 'http://127.0.0.1:9/api/v9' },
  ],
  invalidOptions: [
    { options: {}, path: 'api_token', message: /TOGGL_API_TOKEN/ },
    { options: { api_token: 'abcd1234', poll_interval: '5s' }, path: 'poll_interval', message: /at least 120s/ },
    { options: { api_token: 'abcd1234', poll_interval: '90s' }, path: 'poll_interval', message: /at least 120s/ },
    { options: { api_token: 'abcd1234', api_url: 'not a url' }, path: 'api_url' },
    { options: { api_token: 'abcd1234', token: 'x' } },
  ],
  sync: {
    setup: async () => {
      const toggl = await startFakeToggl({ now: () => new Date('2026-11-18T12:00:00Z') });
      toggl.addProject({ id: 101, name: 'Acme website', color: '#06aaf5', client_name: 'Acme Corp', billable: true });
      toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T12:30:00Z', project_id: 101 });
      // Sunday evening into Monday: in range. Sunday morning: fetched by the look-back, not pushed.
      toggl.addEntry({ id: 2, start: '2026-11-15T22:00:00Z', stop: '2026-11-16T01:00:00Z' });
      toggl.addEntry({ id: 3, start: '2026-11-15T09:00:00Z', stop: '2026-11-15T10:00:00Z' });
      toggl.addEntry({ id: 4, start: '2026-11-18T11:00:00Z', project_id: 101 });
      return { options: { api_token: toggl.token, api_url: toggl.url }, teardown: () => toggl.close() };
    },
    minEntries: 3,
    check: ({ entries }) => {
      expect(entries.map((entry) => entry.id).sort()).toEqual(['1', '2', '4']);
    },
  },
});
