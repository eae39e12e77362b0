import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../shared/canonical-json';
import { WeirError } from '../../../../shared/errors';
import { applyDelta, diffDocs, docDelta } from '../../../../shared/pipeline/doc-delta';
import { pipelineV1, type Pipeline, type PipelineNode } from '../../../../shared/pipeline/schema';

/** A small seeded generator (mulberry32): the same documents every run, many shapes. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => next() < p;
  return { int, pick, chance };
}

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

function randomNode(r: ReturnType<typeof rng>, id: string, ids: string[]): PipelineNode {
  const node: PipelineNode = {
    id,
    name: `${r.pick(['lots', 'passing', 'joined', 'out'])}_${id}`,
    kind: r.pick(['sql', 'seed', 'filter']),
    inputs: ids.filter((x) => x !== id && r.chance(0.3)),
    config: r.chance(0.5) ? { sql: [`select ${r.int(10)} as x`] } : { condition: `x > ${r.int(5)}`, nested: { list: [r.int(3), 'y'] } },
  };
  if (r.chance(0.3)) node.description = `about ${id} ${r.int(100)}`;
  return node;
}

function randomDoc(r: ReturnType<typeof rng>): Pipeline {
  const ids = IDS.filter(() => r.chance(0.6));
  // Any order: the same ids may come in another order in the next document.
  ids.sort(() => (r.chance(0.5) ? -1 : 1));
  const doc: Pipeline = {
    format: 'weir.pipeline',
    version: 1,
    name: r.pick(['release', 'batch']),
    params: r.chance(0.5) ? { day: { type: 'date' } } : {},
    nodes: ids.map((id) => randomNode(r, id, ids)),
    layout: Object.fromEntries(ids.filter(() => r.chance(0.7)).map((id) => [id, { x: r.int(5) * 10, y: r.int(5) * 10 }])),
  };
  if (r.chance(0.3)) doc.description = 'a pipeline';
  if (r.chance(0.3)) doc.publish = r.pick(['all', 'partial'] as const);
  if (r.chance(0.2)) doc.$schema = '../schema/weir.pipeline.v1.schema.json';
  return pipelineV1.parse(doc);
}

/** `b` changed a little from `a`: what an edit in the designer does. */
function edited(r: ReturnType<typeof rng>, a: Pipeline): Pipeline {
  const b = structuredClone(a);
  const node = b.nodes[r.int(b.nodes.length)];
  if (node) node.config = { sql: [`select ${r.int(1000)} as edited`] };
  if (r.chance(0.3) && b.nodes.length) b.nodes.splice(r.int(b.nodes.length), 1);
  if (r.chance(0.3)) b.layout = { ...b.layout, z: { x: 1, y: 2 } };
  return b;
}

describe('a document delta (shared/pipeline/doc-delta.ts)', () => {
  it('round-trips: applying diff(a, b) to a gives b, for many random pairs', () => {
    const r = rng(14);
    let sizes = 0;
    for (let i = 0; i < 300; i++) {
      const a = randomDoc(r);
      const b = i % 2 ? randomDoc(r) : edited(r, a);
      const delta = diffDocs(a, b);
      expect(delta).not.toBeNull();
      // What travels is JSON: the delta must survive it, and be what the contract accepts.
      const wire = JSON.parse(JSON.stringify(delta)) as unknown;
      expect(docDelta.safeParse(wire).success).toBe(true);
      const got = applyDelta(a, wire);
      expect(canonicalJson(got)).toBe(canonicalJson(b));
      // Order is part of the document, beyond what canonical JSON compares of the nodes.
      expect(got.nodes.map((n) => n.id)).toEqual(b.nodes.map((n) => n.id));
      expect(got).toEqual(b);
      sizes += Object.keys(delta ?? {}).length;
    }
    expect(sizes).toBeGreaterThan(0);
  });

  it('is empty between equal documents, and names only the node that changed', () => {
    const r = rng(7);
    const a = randomDoc(r);
    expect(diffDocs(a, structuredClone(a))).toEqual({});
    const one = structuredClone(a);
    one.nodes.push(randomNode(r, 'z', []));
    const base = structuredClone(one);
    one.nodes[one.nodes.length - 1]!.config = { sql: ['select 42 as answer'] };
    expect(diffDocs(base, one)).toEqual({ put: [one.nodes[one.nodes.length - 1]] });
  });

  it('does not change the document it applies to', () => {
    const r = rng(3);
    const a = randomDoc(r);
    const before = canonicalJson(a);
    applyDelta(a, diffDocs(a, randomDoc(r)));
    expect(canonicalJson(a)).toBe(before);
  });

  it('gives no delta for documents with two nodes of one id: the whole document goes instead', () => {
    const a = randomDoc(rng(5));
    const twice = structuredClone(a);
    twice.nodes.push({ ...randomNode(rng(6), 'q', []) }, { ...randomNode(rng(6), 'q', []) });
    expect(diffDocs(a, twice)).toBeNull();
    expect(diffDocs(twice, a)).toBeNull();
  });

  describe('refuses, in one line, an edit that does not fit its document or makes it invalid', () => {
    const base = (): Pipeline =>
      pipelineV1.parse({
        format: 'weir.pipeline',
        version: 1,
        name: 'p',
        nodes: [
          { id: 'a', name: 'a', kind: 'sql', inputs: [], config: { sql: ['select 1'] } },
          { id: 'b', name: 'b', kind: 'sql', inputs: ['a'], config: { sql: ['select * from a'] } },
        ],
      });
    const cases: [string, unknown, RegExp][] = [
      ['removing a node it does not have', { remove: ['nope'] }, /no node "nope" to remove/],
      ['putting one id twice', { put: [{ id: 'c', name: 'c', kind: 'sql', config: {} }, { id: 'c', name: 'c', kind: 'sql', config: {} }] }, /"c" is put twice/],
      ['removing and putting one id', { remove: ['a'], put: [{ id: 'a', name: 'a', kind: 'sql', config: {} }] }, /both removed and put/],
      ['an order that leaves a node out', { order: ['a'] }, /order does not name each of the 2 nodes once/],
      ['an order that names a node twice', { order: ['a', 'a'] }, /order does not name each/],
      ['a node id that is a path', { put: [{ id: '../../etc', name: 'x', kind: 'sql', config: {} }] }, /put\[0\]\.id: expected a node id/],
      ['a field no document has', { set: { format: 'other' } }, /set: Unrecognized key/],
      ['a prototype key', JSON.parse('{"__proto__": {"polluted": true}}') as unknown, /Unrecognized key/],
      ['something that is not an edit', 'rm -rf /', /the edit was refused/],
      ['a node name that is not an identifier', { put: [{ id: 'c', name: 'drop table x;', kind: 'sql', config: {} }] }, /put\[0\]\.name/],
    ];
    for (const [what, edit, says] of cases) {
      it(what, () => {
        let error: unknown;
        try {
          applyDelta(base(), edit);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(WeirError);
        expect((error as WeirError).kind).toBe('invalid');
        expect((error as WeirError).message).toMatch(says);
        expect((error as WeirError).message).not.toContain('\n');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }

    it('a result the pipeline schema refuses (a layout position that is not a number)', () => {
      expect(() => applyDelta(base(), { layout: { put: { a: { x: 'left', y: 0 } } } })).toThrow(/layout\.put\.a\.x/);
    });
  });
});

describe('the edit format and the file format', () => {
  it('can carry every top-level field a pipeline file has', () => {
    // A field added to the file format (a partition key, say) that an edit cannot set would be
    // lost from every preview after the first: the edit format must grow with the file.
    const carried = new Set(['format', 'version', 'nodes', 'layout', ...Object.keys(docDelta.shape.set.unwrap().shape)]);
    expect(Object.keys(pipelineV1.shape).filter((k) => !carried.has(k))).toEqual([]);
  });
});
