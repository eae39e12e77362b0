import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { findFiles } from '../../support/find-files';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const files = [
  ...findFiles(root, 'templates', '.weir.json'),
  ...findFiles(root, 'test/fixtures', '.weir.json').filter((f) => !f.includes('draft-v0') && !f.includes('/invalid/')),
];

describe('canonical pipeline files', () => {
  it('finds the templates and fixtures', () => {
    expect(files.some((f) => f.startsWith('templates/'))).toBe(true);
    expect(files.length).toBeGreaterThan(1);
  });

  it.each(files)('load then save of %s gives the same bytes', (file) => {
    const text = readFileSync(`${root}/${file}`, 'utf8');
    expect(serializePipeline(parsePipeline(text, file).pipeline)).toBe(text);
  });

  it('key order, whitespace and float positions do not change the output', () => {
    const text = readFileSync(`${root}/test/fixtures/pipelines/good.weir.json`, 'utf8');
    const obj = JSON.parse(text);
    const shuffled = {
      layout: Object.fromEntries(Object.entries(obj.layout as Record<string, { x: number; y: number }>).map(([k, v]) => [k, { y: v.y + 0.2, x: v.x - 0.3 }])),
      nodes: obj.nodes.map((n: Record<string, unknown>) => Object.fromEntries(Object.entries(n).reverse())),
      params: obj.params,
      name: obj.name,
      version: obj.version,
      format: obj.format,
      description: obj.description,
      $schema: obj.$schema,
    };
    expect(serializePipeline(parsePipeline(JSON.stringify(shuffled)).pipeline)).toBe(text);
  });

  it('writes SQL one line per array element, a layout entry per line, and a trailing newline', () => {
    const text = readFileSync(`${root}/test/fixtures/pipelines/good.weir.json`, 'utf8');
    const out = serializePipeline(parsePipeline(text).pipeline);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out).toContain('          "select sku, qty",\n          "from items",\n');
    expect(out).toContain('    "big_items": { "x": 260, "y": 0 },\n');
    // layout comes after every node, so moving a box never touches node lines
    expect(out.indexOf('"layout"')).toBeGreaterThan(out.lastIndexOf('"kind"'));
  });
});
