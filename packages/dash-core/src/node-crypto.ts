/**
 * node:crypto, loaded on first use: a status bar's cache-served call would otherwise pay ~3 ms
 * to load it on every run, for a digest it rarely needs (trust of a folder config, the install key).
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
}
