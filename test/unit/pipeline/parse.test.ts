import { describe, expect, it } from 'vitest';
import { PipelineInvalidError } from '../../../shared/errors';
import { checkNodes, parsePipeline, parsePipelineShape } from '../../../shared/pipeline/parse';

const node = (id: string, name: string, kind: string, inputs: string[], config: Record<string, unknown>) => ({ id, name, kind, inputs, config });
const seed = (id: string, name: string) => node(id, name, 'seed', [], { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1]] });
const sql = (id: string, name: string, inputs: string[], text = 'select 1') => node(id, name, 'sql', inputs, { sql: [text] });
const doc = (nodes: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {}, ...extra });

function problem(text: string): { message: string; paths: string[] } {
  try {
    parsePipeline(text, 'p.weir.json');
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineInvalidError);
    const err = e as PipelineInvalidError;
    return { message: err.message, paths: err.issues.map((i) => i.path) };
  }
  throw new Error('expected the pipeline to be refused');
}

describe('parsePipeline refuses bad files with the JSON path and what was expected', () => {
  it('malformed JSON names the line and column', () => {
    const p = problem('{\n  "format": "weir.pipeline",\n  "version": 1,,\n}');
    expect(p.message).toMatch(/^p\.weir\.json: malformed JSON at line 3, column \d+/);
  });
  it('an empty file', () => {
    expect(problem('  \n').message).toBe('p.weir.json: the file is empty (expected a Weir pipeline JSON object)');
  });
  it('a JSON array instead of an object', () => {
    expect(problem('[]').message).toContain('expected a JSON object with "format": "weir.pipeline", got an array');
  });
  it('another format', () => {
    expect(problem('{"format": "knime.workflow", "version": 1}').message).toContain('not a Weir pipeline: "format": "knime.workflow"');
    expect(problem('{"nodes": []}').message).toContain('not a Weir pipeline: no "format" field');
  });
  it('a version newer than this build reads', () => {
    const p = problem(JSON.stringify({ format: 'weir.pipeline', version: 7, nodes: [] }));
    expect(p.paths).toEqual(['version']);
    expect(p.message).toContain('newer Weir (pipeline format version 7)');
    expect(p.message).toContain('Upgrade Weir');
  });
  it('an unknown node kind lists the known ones', () => {
    const p = problem(doc([seed('a', 'x'), node('b', 'y', 'teleport', ['a'], {})]));
    expect(p.paths).toEqual(['nodes[1].kind']);
    expect(p.message).toMatch(/unknown node kind "teleport" \(expected one of: .*file_source.*sql/);
  });
  it('duplicate node names, case-insensitively (DuckDB folds case)', () => {
    const p = problem(doc([seed('a', 'batches'), seed('b', 'Batches')]));
    expect(p.paths).toEqual(['nodes[1].name']);
    expect(p.message).toContain('duplicate node name "Batches"');
  });
  it('a duplicate node id', () => {
    expect(problem(doc([seed('a', 'x'), seed('a', 'y')])).paths).toEqual(['nodes[1].id']);
  });
  it('a cycle names the nodes in it', () => {
    const p = problem(doc([seed('s', 'src'), sql('a', 'alpha', ['s', 'c']), sql('b', 'beta', ['a']), sql('c', 'gamma', ['b'])]));
    expect(p.message).toContain('the graph has a cycle: alpha → beta → gamma → alpha');
  });
  it('an input pointing at a missing node', () => {
    const p = problem(doc([sql('a', 'alpha', ['ghost'])]));
    expect(p.paths).toEqual(['nodes[0].inputs[0]']);
    expect(p.message).toContain('input "ghost" of node "alpha" is not a node in this pipeline');
  });
  it('a node config is checked against its kind, with the path into the config', () => {
    const p = problem(doc([node('f', 'files', 'file_source', [], { path: 'x.csv', format: 'xlsx' })]));
    expect(p.paths).toEqual(['nodes[0].config.format']);
    const q = problem(doc([node('f', 'files', 'file_source', [], { path: 'x.csv', format: 'csv', extra: 1 })]));
    expect(q.paths).toEqual(['nodes[0].config']);
    expect(q.message).toContain('extra');
  });
  it('seed rows must have one value per column', () => {
    const p = problem(doc([node('s', 'seed1', 'seed', [], { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1, 2]] })]));
    expect(p.paths).toEqual(['nodes[0].config.rows[0]']);
  });
  it('a node name must be an SQL identifier', () => {
    expect(problem(doc([seed('a', 'my table')])).paths).toEqual(['nodes[0].name']);
  });
  it('input counts follow the kind', () => {
    const p = problem(doc([seed('a', 'x'), node('w', 'write', 'file_sink', [], { path: 'o.csv', format: 'csv' })]));
    expect(p.message).toContain('a file_sink node takes 1 input, got 0');
  });
  it('paths leaving the workspace are refused', () => {
    expect(problem(doc([node('f', 'files', 'file_source', [], { path: '../../etc/passwd', format: 'csv' })])).paths).toEqual(['nodes[0].config.path']);
  });
  it('a layout entry for a node that does not exist', () => {
    expect(problem(doc([seed('a', 'x')], { layout: { zz: { x: 0, y: 0 } } })).paths).toEqual(['layout.zz']);
  });
  it('accepts a valid pipeline and reports no migration', () => {
    const parsed = parsePipeline(doc([seed('a', 'x'), sql('b', 'y', ['a'], 'select * from x')]));
    expect(parsed.migratedFrom).toBeNull();
    expect(parsed.pipeline.nodes.map((n) => n.name)).toEqual(['x', 'y']);
  });
});

describe('hostile text: one line, never a slice of the file, never a crash', () => {
  it('a malformed file is located without quoting it (V8 would quote a slice of the file)', () => {
    const p = problem('PATH=/usr/bin\nAWS_SECRET_ACCESS_KEY=abc123');
    expect(p.message).toBe('p.weir.json: malformed JSON at line 1, column 1: unexpected character "P"');
  });
  it('a UTF-8 byte order mark is accepted', () => {
    expect(parsePipeline('\ufeff' + doc([seed('a', 'x')])).pipeline.nodes).toHaveLength(1);
  });
  it('nesting past the limit is refused before any recursive code sees it', () => {
    const body = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = doc([node('h', 'api', 'http_source', [], { url: 'http://127.0.0.1:1/x', method: 'POST', body: 0 })]).replace('"body":0', `"body":${body}`);
    expect(problem(text).message).toMatch(/^p\.weir\.json: nested more than 64 levels deep at line 1, column \d+$/);
  });
  it('a 100,000-node cycle is one short line naming a few of its nodes', () => {
    const nodes = Array.from({ length: 100_000 }, (_, i) => sql(`n${i}`, `n${i}`, [`n${(i + 99_999) % 100_000}`]));
    const p = problem(doc(nodes));
    expect(p.message).toMatch(/the graph has a cycle: (n\d+ → ){6}… → n\d+ \(100000 nodes in the cycle\)$/);
    expect(p.message.length).toBeLessThan(200);
  });
});

describe('parsePipelineShape: the shape only, node problems left to checkNodes', () => {
  it('returns a pipeline whose nodes are wrong, and checkNodes names the problems parsePipeline throws', () => {
    const text = doc([seed('a', 'x'), sql('b', 'y', ['ghost'])]);
    const { pipeline, migratedFrom } = parsePipelineShape(text, 'p.weir.json');
    expect(migratedFrom).toBeNull();
    expect(pipeline.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(checkNodes(pipeline)).toEqual(problem(text).paths.map((path) => expect.objectContaining({ path })));
  });
  it('refuses malformed JSON, another format, a newer version and a broken shape as parsePipeline does', () => {
    const bad = ['{', '[]', '{"format": "knime.workflow", "version": 1}', JSON.stringify({ format: 'weir.pipeline', version: 7 }), doc([{ id: 'a' }])];
    for (const text of bad) {
      expect(() => parsePipelineShape(text, 'p.weir.json'), text).toThrow(PipelineInvalidError);
      expect(() => parsePipelineShape(text, 'p.weir.json'), text).toThrow(problem(text).message);
    }
  });
});
