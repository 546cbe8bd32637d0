/**
 * Node built-ins loaded on first use. A status bar's cache-served call runs a few milliseconds
 * of Dash code; loading node:crypto (~3 ms) or node:fs/promises (which pulls in streams and
 * readline) at start-up, for work it rarely does, would cost more than the work itself.
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
}

export function fsPromises(): typeof import('node:fs/promises') {
  return process.getBuiltinModule('node:fs/promises') as typeof import('node:fs/promises');
}
