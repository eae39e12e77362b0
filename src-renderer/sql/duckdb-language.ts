import type { languages } from 'monaco-editor/editor/editor.api';
import { EXTRA_HIGHLIGHT_WORDS, SQL_KEYWORDS } from './keywords';

/** The editor's language id for DuckDB SQL. */
export const DUCKDB_SQL = 'duckdb-sql';

export const duckdbLanguageConfig: languages.LanguageConfiguration = {
  comments: { lineComment: '--', blockComment: ['/*', '*/'] },
  brackets: [
    ['{', '}'],
    ['[', ']'],
    ['(', ')'],
  ],
  autoClosingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: '"', close: '"', notIn: ['string', 'comment'] },
    { open: "'", close: "'", notIn: ['string', 'comment'] },
  ],
  surroundingPairs: [
    { open: '(', close: ')' },
    { open: '[', close: ']' },
    { open: '"', close: '"' },
    { open: "'", close: "'" },
  ],
  // Words include `$` (DuckDB allows it after the first letter).
  wordPattern: /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/,
};

/**
 * A Monarch grammar for DuckDB SQL: keywords, types, strings ('…', E'…', $$…$$ and
 * $tag$…$tag$), double-quoted identifiers, nested block comments, numbers, `$name` and
 * `?` parameters, and the operators DuckDB adds (`::`, `->`, `->>`, `||`, `//`, `**`).
 */
export const duckdbMonarch: languages.IMonarchLanguage = {
  defaultToken: '',
  tokenPostfix: '.sql',
  ignoreCase: true,
  brackets: [
    { open: '[', close: ']', token: 'delimiter.square' },
    { open: '(', close: ')', token: 'delimiter.parenthesis' },
    { open: '{', close: '}', token: 'delimiter.curly' },
  ],
  keywords: [...SQL_KEYWORDS, ...EXTRA_HIGHLIGHT_WORDS].map((k) => k.toLowerCase()),
  operatorWords: ['and', 'or', 'not', 'in', 'is', 'like', 'ilike', 'glob', 'similar', 'between', 'exists'],
  constants: ['null', 'true', 'false'],
  tokenizer: {
    root: [
      { include: '@comments' },
      [/\s+/, 'white'],
      [/[eE]'/, { token: 'string', next: '@estring' }],
      [/'/, { token: 'string', next: '@string' }],
      [/\$([A-Za-z_]\w*)?\$/, { token: 'string', next: '@dollar.$0' }],
      [/"/, { token: 'identifier.quote', next: '@quoted' }],
      [/\$[A-Za-z_]\w*|\$\d+|\?/, 'variable'],
      [/0[xX][0-9a-fA-F_]+/, 'number'],
      [/(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?/, 'number'],
      [/[;,.]/, 'delimiter'],
      [/[()[\]{}]/, '@brackets'],
      [/::|->>|->|\|\||\/\/|\*\*|<=|>=|<>|!=|[<>=+\-*/%^&|~!@]/, 'operator'],
      [
        /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*(?=\s*\()/,
        { cases: { '@keywords': 'keyword', '@operatorWords': 'operator.word', '@default': 'predefined' } },
      ],
      [
        /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/,
        { cases: { '@constants': 'constant', '@operatorWords': 'operator.word', '@keywords': 'keyword', '@default': 'identifier' } },
      ],
    ],
    comments: [
      [/--.*$/, 'comment'],
      [/\/\*/, { token: 'comment', next: '@comment' }],
    ],
    comment: [
      [/\/\*/, { token: 'comment', next: '@push' }],
      [/\*\//, { token: 'comment', next: '@pop' }],
      [/[^/*]+/, 'comment'],
      [/./, 'comment'],
    ],
    string: [
      [/[^']+/, 'string'],
      [/''/, 'string.escape'],
      [/'/, { token: 'string', next: '@pop' }],
    ],
    estring: [
      [/[^'\\]+/, 'string'],
      [/\\./, 'string.escape'],
      [/''/, 'string.escape'],
      [/'/, { token: 'string', next: '@pop' }],
    ],
    dollar: [
      [
        /\$([A-Za-z_]\w*)?\$/,
        { cases: { '$0==$S2': { token: 'string', next: '@pop' }, '@default': 'string' } },
      ],
      [/[^$]+/, 'string'],
      [/\$/, 'string'],
    ],
    quoted: [
      [/[^"]+/, 'identifier'],
      [/""/, 'identifier'],
      [/"/, { token: 'identifier.quote', next: '@pop' }],
    ],
  },
};
