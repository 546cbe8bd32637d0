/**
 * The fake Toggl Track API v9 (a real HTTP server on 127.0.0.1) for end-to-end tests across
 * packages. It lives with the plugin: packages/dash-plugin-toggl/test/fake-toggl.ts.
 */
export { FakeToggl, startFakeToggl } from '../../packages/dash-plugin-toggl/test/fake-toggl.js';
export type {
  FakeProject,
  FakeTimeEntry,
  FakeTogglOptions,
  RecordedRequest,
  ScriptedResponse,
} from '../../packages/dash-plugin-toggl/test/fake-toggl.js';
