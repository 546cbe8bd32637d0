import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testBackendPlugin } from 'dash-core/testing';
import plugin from '../src/index.js';
import { FakeUpwork, writeTokenFile } from '../../../test/support/fake-upwork.js';

// The suite's clock: Wed 2026-11-18 12:00 UTC; its range the Monday-to-Monday UTC week around it.
const NOW = '2026-11-18T12:00:00Z';

// The Dash plugin contract suite, run against the fake Upwork (real HTTP on 127.0.0.1), signed in
// through a token file in the backend's dataDir, the way `dash-cli auth` leaves it.
testBackendPlugin(plugin, {
  describe,
  it,
  validOptions: [
    { client_id: 'key', client_secret: 'secret-value' },
    {
      client_id: 'key',
      client_secret: 'secret-value',
      token_file: '~/upwork.json',
      api_url: 'http://127.0.0.1:9/graphql',
      token_url: 'http://127.0.0.1:9/token',
      redirect_port: 0,
      organization_id: '1234',
      contracts: ['38201457', { id: '38299120', title: 'Globex', client: 'Globex Inc' }],
      desktop_app_logs: '/tmp/upwork-logs',
      requests_per_second: 2,
    },
  ],
  invalidOptions: [
    { options: { client_secret: 'secret-value' }, path: 'client_id', message: /required/ },
    { options: { client_id: 'key' }, path: 'client_secret', message: /UPWORK_CLIENT_SECRET/ },
    { options: { client_id: 'key', client_secret: 'secret-value', api_url: 'ftp://example.com' }, path: 'api_url' },
    { options: { client_id: 'key', client_secret: 'secret-value', requests_per_second: 20 }, path: 'requests_per_second' },
    { options: { client_id: 'key', client_secret: 'secret-value', contracts: [''] }, path: 'contracts[0]' },
    { options: { client_id: 'key', client_secret: 'secret-value', access_token: 'x' } },
  ],
  sync: {
    setup: async () => {
      const fake = await FakeUpwork.start({ now: () => Date.parse(NOW) });
      fake.contracts = [
        { id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' },
        { id: '38299120', title: 'Globex API integration', client: 'Globex' },
      ];
      fake.addSession('38201457', '2026-11-16T09:00:00Z', 180, { memo: 'Checkout flow' });
      // Sunday evening: the UTC day before the range, never fetched.
      fake.addSession('38201457', '2026-11-15T20:00:00Z', 60);
      // Wednesday morning, then tracking again since 11:40 (clocked in at 12:00).
      fake.addSession('38299120', '2026-11-18T08:00:00Z', 60, { memo: 'Webhooks' });
      fake.addSession('38299120', '2026-11-18T11:40:00Z', 20, { memo: 'Webhooks' });
      const dataDir = await mkdtemp(join(tmpdir(), 'dash-upwork-contract-'));
      await writeTokenFile(join(dataDir, 'upwork-token.json'), fake.issueTokens(), new Date(NOW));
      return {
        options: fake.backendOptions(),
        dataDir,
        configDir: dataDir,
        teardown: async () => {
          await fake.close();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    },
    minEntries: 3,
    check: ({ entries }) => {
      expect(entries.map((entry) => [entry.start, entry.end]).sort()).toEqual([
        ['2026-11-16T09:00:00Z', '2026-11-16T12:00:00Z'],
        ['2026-11-18T08:00:00Z', '2026-11-18T09:00:00Z'],
        ['2026-11-18T11:40:00Z', null],
      ]);
    },
  },
});

// The same contract in America/New_York: the local week [Mon 16 05:00Z, Mon 23 05:00Z) spans eight
// UTC diary days; a Sunday-evening session (Mon 16 03:00Z) is on a fetched UTC day but not in the
// range, and must stay out of the store.
testBackendPlugin(plugin, {
  describe,
  it,
  title: 'dash-plugin-upwork (Dash plugin contract, America/New_York week)',
  validOptions: [{ client_id: 'key', client_secret: 'secret-value' }],
  sync: {
    setup: async () => {
      const fake = await FakeUpwork.start({ now: () => Date.parse(NOW) });
      fake.contracts = [{ id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' }];
      fake.addSession('38201457', '2026-11-16T03:00:00Z', 60, { memo: 'Sunday evening' });
      // Sunday 23:30 NY into Monday: crosses the start of the range, so it belongs to it.
      fake.addSession('38201457', '2026-11-16T04:30:00Z', 60, { memo: 'Late night' });
      fake.addSession('38201457', '2026-11-16T14:00:00Z', 180, { memo: 'Checkout flow' });
      const dataDir = await mkdtemp(join(tmpdir(), 'dash-upwork-contract-'));
      await writeTokenFile(join(dataDir, 'upwork-token.json'), fake.issueTokens(), new Date(NOW));
      return {
        options: fake.backendOptions(),
        dataDir,
        teardown: async () => {
          await fake.close();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    },
    timeZone: 'America/New_York',
    range: { from: '2026-11-16T05:00:00Z', to: '2026-11-23T05:00:00Z' },
    minEntries: 2,
    check: ({ entries }) => {
      expect(entries.map((entry) => [entry.start, entry.end]).sort()).toEqual([
        ['2026-11-16T04:30:00Z', '2026-11-16T05:30:00Z'],
        ['2026-11-16T14:00:00Z', '2026-11-16T17:00:00Z'],
      ]);
    },
  },
});
