import { DASH_PLUGIN_API_VERSION, defineOutputPlugin } from 'dash-core';
import { InfluxOptionsSchema, type InfluxOptions } from './options.js';
import { createInfluxOutput } from './output.js';

/**
 * The built-in `influxdb` output: every finished time entry becomes one line-protocol point in
 * InfluxDB 1.x (`database`), InfluxDB 2/3 (`org`, `bucket`, `token`) or VictoriaMetrics
 * (`server = "victoriametrics"`). README, "InfluxDB and Grafana".
 */
export default defineOutputPlugin<InfluxOptions>({
  name: 'influxdb',
  apiVersion: DASH_PLUGIN_API_VERSION,
  description: 'Writes time entries to InfluxDB (1.x, 2.x) or VictoriaMetrics as line-protocol points',
  optionsSchema: InfluxOptionsSchema,
  secretOptions: ['password', 'token'],
  createOutput: (options, context) => createInfluxOutput(options, context),
});

export { createInfluxOutput } from './output.js';
export type { InfluxTuning } from './output.js';
export { InfluxOptionsSchema } from './options.js';
export type { InfluxOptions } from './options.js';
export { entryPoint, formatPoint, seriesOf, escapeKey, escapeMeasurement, escapeString } from './line-protocol.js';
