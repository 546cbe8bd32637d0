import { describe, expect, it } from 'vitest';
import { hasControlCharacters, jsonText, terminalLines, terminalText } from '../src/terminal-text.js';

describe('terminalText: one rule for every string a terminal shows', () => {
  it('line breaks and tabs become a space; every other control becomes U+FFFD, one for one', () => {
    expect(terminalText('a\tb\nc\rd\u000be\u000cf\u0085g\u2028h\u2029i')).toBe('a b c d e f g h i');
    expect(terminalText('\u001b[2J\u0000\u0007\u0008\u007f\u009b\u0090x')).toBe('\ufffd[2J\ufffd\ufffd\ufffd\ufffd\ufffd\ufffdx');
  });

  it('bidi marks, embeddings, overrides and isolates are replaced; letters of any script and emoji stay', () => {
    expect(terminalText('\u202eabc\u202c \u2066x\u2069 \u200f\u200e\u061c')).toBe('\ufffdabc\ufffd \ufffdx\ufffd \ufffd\ufffd\ufffd');
    expect(terminalText('שלום 漢字 👩‍💻 café')).toBe('שלום 漢字 👩‍💻 café');
  });

  it('lone surrogates are replaced, pairs kept; the length in code units never changes', () => {
    const text = 'a\ud83db\ude00c😀';
    expect(terminalText(text)).toBe('a\ufffdb\ufffdc😀');
    expect(terminalText(text)).toHaveLength(text.length);
  });

  it('terminalLines keeps LF (multi-line messages) and cleans each line', () => {
    expect(terminalLines('one\u001b[2J\ntwo\rthree')).toBe('one\ufffd[2J\ntwo three');
  });

  it('hasControlCharacters tells whether terminalText would change anything', () => {
    expect(hasControlCharacters('plain text 漢字')).toBe(false);
    expect(hasControlCharacters('x\u202ey')).toBe(true);
  });
});

describe('jsonText: escaped, never rewritten', () => {
  it('escapes what JSON.stringify leaves raw (DEL, C1, bidi, LS/PS) and parses back to the same value', () => {
    const value = { name: 'a\u007f\u009b\u202e\u2066\u2028\u001b\r\ud83d 😀 漢' };
    const text = jsonText(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029\u2066-\u2069]/);
    expect(text).toContain('\\u202e');
    expect(JSON.parse(text)).toEqual(value);
  });
});
