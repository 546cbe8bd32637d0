import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { displayWidth, padEndColumns, truncateColumns } from '../src/text-width.js';

describe('displayWidth', () => {
  it('gives string-width\'s answer for every single code point below U+2E80 and for pictographs, CJK and clusters', () => {
    const differ: string[] = [];
    for (let code = 0xa0; code < 0x2e80; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const text = String.fromCodePoint(code);
      if (displayWidth(text) !== stringWidth(text)) differ.push(`U+${code.toString(16).toUpperCase()} ${displayWidth(text)} ≠ ${stringWidth(text)}`);
    }
    expect(differ).toEqual([]);
    for (const text of ['日本語', '🚀', '👩‍💻', '⌚', '◽', '〈', 'é', 'ᄀ', 'ᄀ가', '\u0301', '\u200b', 'Acme — Café · ▰▱', 'e\u0301x', '#\u20e3', '1\ufe0f\u20e3', 'a\u200db', 'a\r\nb', '· expected by now, 09–17 on workdays', 'Ωmega ▶ ⏸ ⌚x', '〈x〉', 'ൎb', 'กำ', 'ຫຳ']) {
      expect([text, displayWidth(text)]).toEqual([text, stringWidth(text)]);
      // Asked again (remembered): the same.
      expect(displayWidth(text)).toBe(stringWidth(text));
    }
  });

  it('pads and cuts by columns, never through a wide character', () => {
    expect(padEndColumns('日本', 6)).toBe('日本  ');
    expect(truncateColumns('日本語', 5)).toBe('日本');
    expect(truncateColumns('▰▰▰', 2)).toBe('▰▰');
  });
});
