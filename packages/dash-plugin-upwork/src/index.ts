/**
 * dash-plugin-upwork: Upwork work-diary time and "clocked in" status for Dash.
 * @module
 */
import { DASH_PLUGIN_API_VERSION, defineBackendPlugin } from 'dash-core';
import { signIn } from './auth.js';
import { createUpworkBackend } from './backend.js';
import { UpworkOptionsSchema, type UpworkOptions } from './options.js';

export type { UpworkOptions } from './options.js';

export default defineBackendPlugin<UpworkOptions>({
  name: 'dash-plugin-upwork',
  version: '0.1.0',
  apiVersion: DASH_PLUGIN_API_VERSION,
  description: 'Upwork: work-diary time per contract and whether the Time Tracker is running',
  optionsSchema: UpworkOptionsSchema,
  secretOptions: ['client_secret'],
  // The diary shows a segment about 10 minutes after it is tracked; 3 minutes keeps "clocked in" close.
  pollInterval: 180,
  createBackend: (options, context) => createUpworkBackend(options, context),
  auth: signIn,
});
