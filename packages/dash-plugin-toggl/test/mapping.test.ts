import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { elapsedSeconds, isDeleted, isRunning, toEntryInput } from '../src/mapping.js';
import { TogglOptionsSchema } from '../src/options.js';
import { TogglTimeEntryListSchema, TogglTimeEntrySchema } from '../src/toggl-schema.js';
import { PLUGIN_VERSION, USER_AGENT } from '../src/version.js';
import plugin from '../src/index.js';

// Verbatim from reference/toggl-api.md §5 (real recorded responses).
const WEEK_META = `{"id":3731531776,"workspace_id":2230580,"project_id":63334409,"task_id":null,"billable":false,"start":"2024-12-16T17:05:25+00:00","stop":"2024-12-16T18:07:05+00:00","duration":3700,"description":"Inbox Zero","tags":[],"tag_ids":[],"duronly":true,"at":"2024-12-16T18:07:05.694469Z","server_deleted_at":null,"user_id":2166261,"uid":2166261,"wid":2230580,"pid":63334409,"client_name":"AGL","project_name":"AGL Social Media","project_color":"#d92b2b","project_active":true,"project_billable":false,"user_name":"Marco","user_avatar_url":"…"}`;
const DELETED = `{"id":3730276799,"workspace_id":2230580,"project_id":null,"task_id":null,"billable":false,"start":"2024-12-16T02:18:20+00:00","stop":"2024-12-16T03:18:20+00:00","duration":3600,"description":null,"tags":[],"tag_ids":[],"duronly":true,"at":"2024-12-16T01:38:02.034497Z","server_deleted_at":"2024-12-16T01:38:02+00:00","user_id":2166261,"uid":2166261,"wid":2230580}`;
const RUNNING_APP = `{"id":3727977106,"workspace_id":2230580,"project_id":155392684,"task_id":null,"billable":false,"start":"2024-12-13T00:18:26+00:00","stop":null,"duration":-1734049107,"description":"Open Sourcing","tags":[],"tag_ids":[],"duronly":true,"at":"2024-12-13T00:18:26.835197Z","server_deleted_at":null,"user_id":2166261,"uid":2166261,"wid":2230580,"pid":155392684}`;
const RUNNING_API = `{"id":3730303299,"workspace_id":2230580,"project_id":null,"task_id":null,"billable":false,"start":"2024-12-16T01:55:24Z","stop":null,"duration":-1,"description":"Hello Toggl","tags":null,"tag_ids":null,"duronly":true,"at":"2024-12-16T02:05:25.037428Z","server_deleted_at":null,"user_id":2166261,"uid":2166261,"wid":2230580}`;

const parse = (json: string) => TogglTimeEntrySchema.parse(JSON.parse(json));

describe('mapping Toggl entries', () => {
  it('maps a meta=true entry with project name, colour, client and billable', () => {
    const entry = parse(WEEK_META);
    expect(isRunning(entry)).toBe(false);
    expect(toEntryInput(entry)).toEqual({
      id: '3731531776',
      start: '2024-12-16T17:05:25Z',
      end: '2024-12-16T18:07:05Z',
      project: { key: '63334409', name: 'AGL Social Media', client: 'AGL', color: '#d92b2b' },
      description: 'Inbox Zero',
      billable: false,
      tags: [],
    });
  });

  it('maps an entry without meta to its project id, and no project to null', () => {
    const withoutMeta = JSON.parse(WEEK_META);
    for (const key of ['client_name', 'project_name', 'project_color', 'project_active', 'project_billable', 'user_name', 'user_avatar_url']) {
      delete withoutMeta[key];
    }
    expect(toEntryInput(TogglTimeEntrySchema.parse(withoutMeta)).project).toEqual({
      key: '63334409',
      name: 'Project 63334409',
      client: null,
      color: null,
    });
    const deleted = parse(DELETED);
    expect(toEntryInput(deleted).project).toBeNull();
    expect(toEntryInput(deleted).description).toBe('');
    expect(isDeleted(deleted)).toBe(true);
  });

  it('treats duration = −start (Toggl apps) as running and ticks from start', () => {
    const entry = parse(RUNNING_APP);
    expect(isRunning(entry)).toBe(true);
    expect(toEntryInput(entry)).toMatchObject({ id: '3727977106', start: '2024-12-13T00:18:26Z', end: null });
    // 1 h 2 min 3 s after start, whatever the raw duration says.
    expect(elapsedSeconds(entry, new Date('2024-12-13T01:20:29Z'))).toBe(3723);
  });

  it('treats duration = −1 (API) as running and ticks from start, never from the duration', () => {
    const entry = parse(RUNNING_API);
    expect(isRunning(entry)).toBe(true);
    expect(toEntryInput(entry)).toMatchObject({ end: null, tags: [], project: null, description: 'Hello Toggl' });
    expect(elapsedSeconds(entry, new Date('2024-12-16T02:55:24Z'))).toBe(3600);
    // A start in the future (clock skew) counts as 0, never negative.
    expect(elapsedSeconds(entry, new Date('2024-12-16T01:00:00Z'))).toBe(0);
  });

  it('does not take stop: null alone as running (duration 0 entry)', () => {
    const entry = TogglTimeEntrySchema.parse({ ...JSON.parse(RUNNING_API), stop: null, duration: 0 });
    expect(isRunning(entry)).toBe(false);
    expect(toEntryInput(entry)).toMatchObject({ start: '2024-12-16T01:55:24Z', end: '2024-12-16T01:55:24Z' });
  });

  it('computes the end of a duration-only entry from start + duration', () => {
    const entry = TogglTimeEntrySchema.parse({ ...JSON.parse(WEEK_META), stop: null, duration: 5400 });
    expect(toEntryInput(entry).end).toBe('2024-12-16T18:35:25Z');
  });

  it('drops a colour that is not #rgb/#rrggbb instead of failing', () => {
    const entry = TogglTimeEntrySchema.parse({ ...JSON.parse(WEEK_META), project_color: 'red' });
    expect(toEntryInput(entry).project?.color).toBeNull();
  });

  it('accepts unknown keys and rejects a missing start', () => {
    expect(TogglTimeEntryListSchema.safeParse([{ ...JSON.parse(WEEK_META), brand_new_field: { x: 1 } }]).success).toBe(true);
    const { start: _start, ...noStart } = JSON.parse(WEEK_META);
    expect(TogglTimeEntryListSchema.safeParse([noStart]).success).toBe(false);
  });
});

describe('options', () => {
  it('applies the defaults', () => {
    expect(TogglOptionsSchema.parse({ api_token: 'abcd1234' })).toEqual({
      api_token: 'abcd1234',
      api_url: 'https://api.track.toggl.com/api/v9',
      poll_interval: 300,
    });
  });

  it('reads poll_interval as a duration or seconds, with a floor of what 30 requests an hour allow (120 s)', () => {
    expect(TogglOptionsSchema.parse({ api_token: 'abcd1234', poll_interval: '10m' }).poll_interval).toBe(600);
    expect(TogglOptionsSchema.parse({ api_token: 'abcd1234', poll_interval: 150 }).poll_interval).toBe(150);
    expect(TogglOptionsSchema.parse({ api_token: 'abcd1234', poll_interval: '2m' }).poll_interval).toBe(120);
    // One poll is one request: 3600 s / 30 requests = 120 s. 60 s or 90 s would be 60 or 40 an hour.
    for (const fast of ['10s', 60, '90s', 119]) {
      const tooFast = TogglOptionsSchema.safeParse({ api_token: 'abcd1234', poll_interval: fast });
      expect(tooFast.success).toBe(false);
      expect(tooFast.error?.issues[0]?.message).toMatch(/^must be at least 120s \("2m", got \d+s\): each poll is 1 request and Toggl allows 30 requests an hour/);
    }
    expect(TogglOptionsSchema.safeParse({ api_token: 'abcd1234', poll_interval: 'soon' }).success).toBe(false);
  });

  it('requires api_token, rejects unknown keys, accepts a workspace filter and strips a trailing slash', () => {
    const missing = TogglOptionsSchema.safeParse({});
    expect(missing.error?.issues[0]?.path).toEqual(['api_token']);
    expect(missing.error?.issues[0]?.message).toMatch(/TOGGL_API_TOKEN/);
    expect(TogglOptionsSchema.safeParse({ api_token: 'abcd1234', apitoken: 'x' }).success).toBe(false);
    expect(TogglOptionsSchema.parse({ api_token: 'abcd1234', workspace_id: '2230580', api_url: 'http://127.0.0.1:9/api/v9/' })).toMatchObject({
      workspace_id: 2230580,
      api_url: 'http://127.0.0.1:9/api/v9',
    });
    expect(TogglOptionsSchema.safeParse({ api_token: 'abcd1234', api_url: 'ftp://x' }).success).toBe(false);
  });

  it('the plugin object declares its name, version, secret option and poll interval', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    expect(plugin.name).toBe(pkg.name);
    expect(plugin.version).toBe(pkg.version);
    expect(PLUGIN_VERSION).toBe(pkg.version);
    expect(plugin.secretOptions).toEqual(['api_token']);
    expect(plugin.pollInterval).toBe(300);
    expect(USER_AGENT).toMatch(/^dash-plugin-toggl\/\d+\.\d+\.\d+ \(/);
  });
});
