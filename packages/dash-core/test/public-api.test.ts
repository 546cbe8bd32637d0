/**
 * dash-core's public surface: each entry file's exports (values and types, as TypeScript sees
 * them) are exactly the list in the package README's "Entry points". A new export, a removed one
 * or a value turned into a type fails here until the README (and so the semver promise) says so.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const ENTRIES: Record<string, string> = {
  'dash-core': 'src/index.ts',
  'dash-core/host': 'src/host/index.ts',
  'dash-core/testing': 'src/testing/index.ts',
  'dash-core/snapshot': 'src/snapshot/index.ts',
};

/** Every entry's exports, `type X` for a type-only name, sorted. */
function actualExports(): Record<string, string[]> {
  const files = Object.values(ENTRIES).map((file) => resolve(root, file));
  const program = ts.createProgram(files, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, strict: true });
  const checker = program.getTypeChecker();
  return Object.fromEntries(
    Object.entries(ENTRIES).map(([entry, file]) => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(resolve(root, file))!)!;
      const names = checker.getExportsOfModule(module).map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return target.flags & ts.SymbolFlags.Value ? symbol.name : `type ${symbol.name}`;
      });
      return [entry, names.sort()];
    }),
  );
}

/** The lists in the README: under "### `entry`", the first ```text block, comma-separated. */
function documentedExports(): Record<string, string[]> {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Entry points'));
  const lists: Record<string, string[]> = {};
  for (const match of section.matchAll(/^### `([^`]+)`[\s\S]*?```text\n([\s\S]*?)```/gm)) {
    lists[match[1]!] = match[2]!.split(',').map((name) => name.replace(/\s+/g, ' ').trim()).filter(Boolean).sort();
  }
  return lists;
}

describe("dash-core's entry points", () => {
  const actual = actualExports();
  const documented = documentedExports();

  it('the README lists exactly the four entries of package.json', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const fromPackage = Object.keys(pkg.exports).filter((key) => key !== './package.json').map((key) => (key === '.' ? 'dash-core' : `dash-core/${key.slice(2)}`));
    expect(Object.keys(documented).sort()).toEqual(fromPackage.sort());
    expect(Object.keys(ENTRIES).sort()).toEqual(fromPackage.sort());
  });

  for (const entry of Object.keys(ENTRIES)) {
    it(`${entry} exports exactly what the README lists`, () => {
      const missing = actual[entry]!.filter((name) => !documented[entry]?.includes(name));
      const extra = (documented[entry] ?? []).filter((name) => !actual[entry]!.includes(name));
      expect({ exportedButNotDocumented: missing, documentedButNotExported: extra }).toEqual({ exportedButNotDocumented: [], documentedButNotExported: [] });
    });
  }

  it('the plugin contract holds no host internals (store, cache, config loading, the plugin host)', () => {
    for (const name of ['Store', 'PluginHost', 'loadConfig', 'writeCache', 'buildSnapshot', 'loadPlugins', 'EventDeriver']) {
      expect(actual['dash-core']).not.toContain(name);
      expect(actual['dash-core/host']).toContain(name);
    }
  });
});
