/** The package name and version (kept equal to package.json; a test checks it). */
export const PLUGIN_NAME = 'dash-plugin-toggl';
export const PLUGIN_VERSION = '0.1.0';

/** Sent on every request: Toggl identifies over-polling integrations by their User-Agent. */
export const USER_AGENT = `${PLUGIN_NAME}/${PLUGIN_VERSION} (Dash time dashboard; node ${process.versions.node})`;
