// Removes every package's dist before a build: tsup writes chunks with content hashes in their
// names, and old ones would otherwise pile up and be published with the package.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
for (const group of ['packages', 'examples']) {
  for (const name of readdirSync(join(root, group))) rmSync(join(root, group, name, 'dist'), { recursive: true, force: true });
}
