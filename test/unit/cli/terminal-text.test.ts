import { describe, expect, it } from 'vitest';
import { safeColoredLines, safeJson, safeLine, safeLines } from '../../../src-main/cli/support/terminal-text';

const hostile = 'a\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eb\u2028c\ufeff\ud800d\x7f';

describe('text from files is shown with every control escaped', () => {
  it('one line: ESC, BEL, C1, DEL, bidi, separators, BOM, lone surrogates and newlines escaped', () => {
    expect(safeLine(hostile + '\nnext')).toBe('a\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u{202e}b\\u{2028}c\\u{feff}\\u{d800}d\\x7f\\nnext');
    expect(safeLine(hostile)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('leaves ordinary text alone: accents, emoji, CJK, tabs', () => {
    const plain = 'Zellzählung ✔ 😀 細胞\tok';
    expect(safeLine(plain)).toBe(plain);
    expect(safeLines(`${plain}\nline two`)).toBe(`${plain}\nline two`);
  });

  it('several lines keep their newlines and escape the rest', () => {
    expect(safeLines('select 1\nfrom x -- \x1b[8mhidden')).toBe('select 1\nfrom x -- \\x1b[8mhidden');
  });

  it('colored diff output keeps only its own color codes', () => {
    const colored = '\x1b[31m- select \x1b[8m\x1b[2Jsecret\x1b[0m\n\x1b[32m+ x\x1b[0m';
    expect(safeColoredLines(colored)).toBe('\x1b[31m- select \\x1b[8m\\x1b[2Jsecret\x1b[0m\n\x1b[32m+ x\x1b[0m');
  });

  it('JSON output escapes what JSON.stringify leaves raw and still parses to the same value', () => {
    const value = { name: hostile, n: 1 };
    const text = safeJson(value);
    expect(text).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\ufeff]/);
    expect(JSON.parse(text)).toEqual(value);
    expect(safeJson(value, 2)).toContain('\n  "n": 1');
  });
});
