import { existsSync } from 'node:fs';
import { DashError } from 'dash-core';
import { readTrustStore, revokeTrust, trustConfig, trustState, trustPath, trustStoreFile } from 'dash-core/host';
import { EXIT, type ExitCode } from '../exit-codes.js';

export interface TrustCommandOptions {
  revoke?: boolean;
  list?: boolean;
}

/**
 * `dash-cli trust [PATH]` (default ./dash.toml): lets a folder config run its plugins, as it is
 * now (its real path and SHA-256 are recorded in $XDG_DATA_HOME/dash/trusted.json; an edit needs
 * trust again). `--revoke` (or `dash-cli untrust`) forgets it; `--list` prints every trusted
 * config with its state, one a line: `<state>\t<path>` (trusted, changed, missing).
 */
export async function runTrust(path: string | undefined, options: TrustCommandOptions): Promise<ExitCode> {
  if (options.list) {
    if (path !== undefined || options.revoke) throw new DashError('USAGE', '--list takes no path and no --revoke', { hint: 'dash-cli trust --list' });
    const records = readTrustStore();
    if (records.length === 0) process.stderr.write(`dash-cli: no trusted configs (${trustStoreFile()})\n`);
    for (const record of records) {
      const state = trustState(record.path);
      // `changed` covers a file that is gone too: tell them apart for the user.
      const shown = state === 'trusted' ? 'trusted' : existsSync(record.path) ? 'changed' : 'missing';
      process.stdout.write(`${shown}\t${record.path}\n`);
    }
    return EXIT.ok;
  }
  const file = path ?? 'dash.toml';
  if (options.revoke) {
    const revoked = await revokeTrust(file);
    const shown = trustPath(file);
    process.stderr.write(revoked ? `dash-cli: no longer trusted: ${shown}\n` : `dash-cli: ${shown} was not trusted\n`);
    return EXIT.ok;
  }
  const record = await trustConfig(file);
  process.stderr.write(`dash-cli: trusted ${record.path} (sha256 ${record.sha256.slice(0, 12)}…): its plugins may run; an edit needs \`dash-cli trust\` again\n`);
  return EXIT.ok;
}
