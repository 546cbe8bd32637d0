/**
 * dash-plugin-toggl: Toggl Track (API v9) as a Dash backend: this week's entries with project
 * names and colours, the running timer, edits and deletions, inside Toggl's hourly quota.
 * @module
 */
import { DASH_PLUGIN_API_VERSION, defineBackendPlugin } from 'dash-core';
import { createTogglBackend } from './backend.js';
import { DEFAULT_POLL_SECONDS, TogglOptionsSchema, type TogglOptions } from './options.js';
import { PLUGIN_NAME, PLUGIN_VERSION } from './version.js';

export type { TogglOptions } from './options.js';

const plugin = defineBackendPlugin<TogglOptions>({
  name: PLUGIN_NAME,
  version: PLUGIN_VERSION,
  apiVersion: DASH_PLUGIN_API_VERSION,
  description: 'Toggl Track: this week, the running timer, within the 30 requests/hour quota',
  optionsSchema: TogglOptionsSchema,
  secretOptions: ['api_token'],
  pollInterval: DEFAULT_POLL_SECONDS,
  createBackend: (options, context) => createTogglBackend(options, context),
});

export default plugin;
