/** Upwork green first, then a palette that reads well on dark and light terminals. */
const PALETTE = ['#14a800', '#0d7fbf', '#e36a00', '#9e5bd9', '#c7254e', '#2da6a6', '#d4a017', '#5c6bc0', '#8d6e63', '#ef6c9a'];

/** The same contract always gets the same color (FNV-1a of its id). */
export function colorFor(contractId: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < contractId.length; index++) {
    hash ^= contractId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return PALETTE[hash % PALETTE.length]!;
}
