// (h) The price of one dash-core for every plugin: `snapshot --json --refresh` with a plugin that
// resolves the host's dash-core on its own (no resolve hook) and the same plugin outside the
// host's tree, which gets it through the hook (module.register starts the hooks' thread),
// interleaved with `node -e 0`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, median, ms, ROOT, row, sandbox, timed } from './lib.mjs';

const RUNS = 15;

const PLUGIN = `import { DASH_PLUGIN_API_VERSION, defineBackendPlugin, z } from 'dash-core';
export default defineBackendPlugin({
  name: 'dash-plugin-bench', apiVersion: DASH_PLUGIN_API_VERSION, optionsSchema: z.strictObject({}),
  createBackend: (options, context) => ({ async sync({ from, to }) { context.store.replaceRange({ from, to }, []); } }),
});
`;

export async function benchPluginCoreHook() {
  const box = sandbox('dash-bench-hook-');
  // Inside the host's tree: node_modules/.cache of the repository resolves dash-core by walking up.
  const inside = join(ROOT, 'node_modules', '.cache', `dash-bench-plugin-${process.pid}`);
  const outside = join(box.root, 'node_modules', 'dash-plugin-bench');
  try {
    for (const dir of [inside, outside]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'dash-plugin-bench', version: '1.0.0', type: 'module', exports: './index.js' }));
      writeFileSync(join(dir, 'index.js'), PLUGIN);
    }
    const config = (dir, name) => {
      const file = join(box.root, `${name}.toml`);
      writeFileSync(file, `[[backends]]\nplugin = ${JSON.stringify(dir)}\nid = "bench"\n`);
      return file;
    };
    const configs = { inside: config(inside, 'inside'), outside: config(outside, 'outside') };
    const times = { floor: [], inside: [], outside: [] };
    for (let i = 0; i < RUNS; i++) {
      times.floor.push(timed(process.execPath, ['-e', '0'], { env: box.env }).ms);
      for (const name of ['inside', 'outside']) {
        const run = timed(process.execPath, [CLI, 'snapshot', '--json', '--refresh', '--config', configs[name]], { env: box.env });
        if (run.result.status !== 0) throw new Error(`${name}: ${run.result.stderr}`);
        times[name].push(run.ms);
      }
    }
    const f = median(times.floor);
    const a = median(times.inside);
    const b = median(times.outside);
    return [
      row('i', 'node -e 0', ms(f), '', 'info', `median of ${RUNS}`),
      row('i', 'snapshot --refresh, a plugin that finds the host\'s dash-core itself (no hook)', `${ms(a)} = ${(a / f).toFixed(2)}× floor`, '', 'info', `median of ${RUNS}, interleaved`),
      row('i', 'snapshot --refresh, the same plugin outside the host\'s tree (resolve hook)', `${ms(b)} = ${(b / f).toFixed(2)}× floor`, '', 'info', `median of ${RUNS}; the hook costs ${ms(b - a)}`),
    ];
  } finally {
    box.cleanup();
    rmSync(inside, { recursive: true, force: true });
  }
}
