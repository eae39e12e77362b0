import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

const dir = tempDir();
const seed = { id: 's', name: 'src', kind: 'seed', inputs: [], config: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1]] } };
const pipeline = (nodes: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {}, ...extra }, null, 2);
const sqlNode = (id: string, name: string, inputs: string[], sql: string[]) => ({ id, name, kind: 'sql', inputs, config: { sql } });

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

interface Case {
  name: string;
  text: string | null;
  code: number;
  message: RegExp;
}

mkdirSync(join(dir, 'data'), { recursive: true });

const cases: Case[] = [
  { name: 'malformed JSON', text: '{"format": "weir.pipeline",, }', code: 2, message: /malformed JSON at line 1, column \d+/ },
  { name: 'an empty file', text: '', code: 2, message: /the file is empty/ },
  { name: 'a JSON array', text: '[1, 2]', code: 2, message: /expected a JSON object .* got an array/ },
  { name: 'another format', text: '{"format": "hop.pipeline", "version": 1}', code: 2, message: /not a Weir pipeline: "format": "hop.pipeline"/ },
  { name: 'an unknown node kind', text: pipeline([{ ...seed, kind: 'magic' }]), code: 2, message: /: magic "src", Kind: unknown node kind "magic"/ },
  { name: 'duplicate node names', text: pipeline([seed, { ...seed, id: 't' }]), code: 2, message: /: seed "src", Name: duplicate node name "src"/ },
  {
    name: 'a cycle',
    text: pipeline([seed, sqlNode('a', 'alpha', ['s', 'b'], ['select 1']), sqlNode('b', 'beta', ['a'], ['select 1'])]),
    code: 2,
    message: /the graph has a cycle: (alpha → beta → alpha|beta → alpha → beta)/,
  },
  { name: 'an input pointing at a missing node', text: pipeline([sqlNode('a', 'alpha', ['nope'], ['select 1'])]), code: 2, message: /input "nope" of node "alpha" is not a node/ },
  { name: 'a version newer than supported', text: JSON.stringify({ format: 'weir.pipeline', version: 99 }), code: 2, message: /newer Weir \(pipeline format version 99\)/ },
  { name: 'a missing pipeline file', text: null, code: 2, message: /no such pipeline file/ },
  {
    // Caught by the sandbox's parse before anything runs: an invalid file, exit 2.
    name: 'a SQL syntax error (names the node and the line)',
    text: pipeline([seed, sqlNode('a', 'typed_rows', ['s'], ['select a,', '  a + 1 as b', 'form src'])]),
    code: 2,
    message: /: sql "typed_rows", SQL: line 3: syntax error at or near "form"/,
  },
  {
    name: 'a missing input file',
    text: pipeline([{ id: 'f', name: 'raw_assays', kind: 'file_source', inputs: [], config: { path: 'data/missing-*.csv', format: 'csv' } }]),
    code: 1,
    message: /node "raw_assays": no file matches "data\/missing-\*\.csv"/,
  },
];

describe('each bad input gets one clear line and the right exit code', () => {
  it.each(cases)('$name', async (c) => {
    const path = c.text === null ? join(dir, 'does-not-exist.weir.json') : file(`${c.name.replace(/\W+/g, '_')}.weir.json`, c.text);
    const res = await runWeir(['run', path, '--no-record']);
    expect(res.code).toBe(c.code);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^weir: /);
    expect(lines[0]).toMatch(c.message);
    // never a stack trace
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate refuses the same files with exit code 2', async () => {
    const res = await runWeir(['validate', file('dup.weir.json', pipeline([seed, { ...seed, id: 't' }]))]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/duplicate node name/);
  });

  it('bad usage is exit code 2 with the usage line', async () => {
    const res = await runWeir(['run']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('usage: weir run FILE');
    const unknown = await runWeir(['run', file('ok.weir.json', pipeline([seed])), '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--frobnicate'/);
    expect((await runWeir(['explode'])).code).toBe(2);
  });

  it('an unknown or mistyped parameter is exit code 2', async () => {
    const p = file('params.weir.json', pipeline([seed], { params: { n: { type: 'integer', default: 1 } } }));
    const unknown = await runWeir(['run', p, '--param', 'm=1', '--no-record']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown parameter "m" (parameters: n)');
    const mistyped = await runWeir(['run', p, '--param', 'n=abc', '--no-record']);
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toContain('parameter n: expected an integer, got "abc"');
  });

  it('--debug shows the stack trace', async () => {
    const res = await runWeir(['run', join(dir, 'nope.weir.json'), '--debug']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/\n\s+at /);
  });
});
