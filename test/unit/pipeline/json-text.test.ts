import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, findJsonTooDeep, lineAndColumn } from '../../../shared/pipeline/json-text';

/** Where JSON.parse agrees: valid for the scanner exactly when JSON.parse accepts it. */
const agrees = (text: string) => {
  let ok = true;
  try {
    JSON.parse(text);
  } catch {
    ok = false;
  }
  expect(findJsonSyntaxError(text) === null, text).toBe(ok);
};

describe('findJsonSyntaxError', () => {
  it('accepts what JSON.parse accepts and refuses what it refuses', () => {
    const samples = [
      '{}',
      '[]',
      ' {"a": [1, -2.5e+3, true, false, null, "x\\"y\\\\\\u00e9"]} ',
      '"just a string"',
      '0',
      '{"a":1,}',
      '[1,]',
      '{"a" 1}',
      '{a: 1}',
      '[01]',
      '[1.]',
      '[-]',
      '"\\x"',
      '"\\u12"',
      '{"a":1}}',
      '{"a":1} x',
      'tru',
      '{"a":',
      '',
      '"unterminated',
      '{"a": "tab\there"}',
      '\ufeff{}',
    ];
    for (const s of samples) agrees(s);
  });

  it('names the first bad place and what is wrong, quoting at most one character', () => {
    expect(findJsonSyntaxError('{\n  "a": 1,,\n}')).toEqual({ offset: 11, message: 'expected a property name in double quotes' });
    expect(findJsonSyntaxError('PATH=/usr/bin:/secret-value')).toEqual({ offset: 0, message: 'unexpected character "P"' });
    expect(findJsonSyntaxError('{"a": 1')).toEqual({ offset: 7, message: 'unexpected end of the file' });
    expect(findJsonSyntaxError('[1 2]')).toEqual({ offset: 3, message: 'expected "," or "]"' });
    expect(findJsonSyntaxError('{"a": "x\u001b[31m"}')!.message).toMatch(/control character inside a string/);
    expect(findJsonSyntaxError('{"a": "never closed')).toEqual({ offset: 6, message: 'a string is not closed' });
  });

  it('is iterative: a million nested brackets are scanned without a stack overflow', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(999_999);
    expect(findJsonSyntaxError(deep)).toEqual({ offset: deep.length, message: 'unexpected end of the file' });
  });
});

describe('findJsonTooDeep and lineAndColumn', () => {
  it('finds the first bracket past the limit, ignoring brackets inside strings', () => {
    expect(findJsonTooDeep('[[[1]]]', 3)).toBeNull();
    expect(findJsonTooDeep('[[[[1]]]]', 3)).toBe(3);
    expect(findJsonTooDeep('["[[[[[[", {"a": "{{{{"}]', 2)).toBeNull();
    expect(findJsonTooDeep('["\\"[[[", [[1]]]', 2)).toBe(11);
  });
  it('gives 1-based lines and columns', () => {
    expect(lineAndColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});
