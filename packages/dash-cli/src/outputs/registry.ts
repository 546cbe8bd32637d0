/**
 * The outputs that ship with dash-cli, by the name `[[outputs]] plugin = "…"` uses. Each is
 * imported only when a config names it; a module's `output` export (or default export) is the
 * OutputPlugin. Any other name resolves like a backend plugin (see dash-core prepareOutputs).
 */
export const BUILTIN_OUTPUTS: Readonly<Record<string, () => Promise<unknown>>> = {
  webhook: () => import('./webhook/index.js'),
  influxdb: () => import('./influxdb/index.js'),
};
