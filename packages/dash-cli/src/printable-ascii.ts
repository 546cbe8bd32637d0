/** Printable ASCII only: one terminal column a character (most project names need no width tables). */
export function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}
