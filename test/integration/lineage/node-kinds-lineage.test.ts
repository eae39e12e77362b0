import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceColumn, type PipelineLineage } from '../../../shared/lineage';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { testEngine } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

// engine.lineage() over every kind of transform, a check and a sink, from seed sources (no
// files). Expected lineage written by hand from what each low-code form means:
//   big = filter(orders, qty > 0)         picked = select(big: qty AS quantity)
//   joined = left join(big, customers on cust = id)   totals = aggregate(joined by region: sum(qty) AS total)
//   both = union by name(orders, orders2)  latest = deduplicate(orders by cust, latest qty first)
//   checked = check(totals)  doubled = SQL over checked  out = file sink of checked

const seed = (id: string, columns: [string, string][], rows: unknown[][]) => ({
  id,
  name: id,
  kind: 'seed',
  inputs: [],
  config: { columns: columns.map(([name, type]) => ({ name, type })), rows },
});

function pipelineFile(): string {
  const dir = tempDir('weir-lineage-kinds-');
  const file = join(dir, 'kinds.weir.json');
  const doc = {
    format: 'weir.pipeline',
    version: 1,
    name: 'kinds',
    nodes: [
      seed('orders', [['cust', 'VARCHAR'], ['qty', 'INTEGER'], ['price', 'DOUBLE']], [['a', 1, 2.5], ['b', 0, 1]]),
      seed('customers', [['id', 'VARCHAR'], ['region', 'VARCHAR']], [['a', 'EU']]),
      seed('orders2', [['cust', 'VARCHAR'], ['qty', 'INTEGER'], ['note', 'VARCHAR']], [['c', 3, 'x']]),
      { id: 'big', name: 'big', kind: 'filter', inputs: ['orders'], config: { condition: 'qty > 0' } },
      { id: 'picked', name: 'picked', kind: 'select', inputs: ['big'], config: { columns: [{ name: 'qty', rename: 'quantity' }], rest: 'drop' } },
      { id: 'joined', name: 'joined', kind: 'join', inputs: ['big', 'customers'], config: { type: 'left', on: [{ left: 'cust', right: 'id' }], select: 'all' } },
      { id: 'totals', name: 'totals', kind: 'aggregate', inputs: ['joined'], config: { group_by: ['region'], aggregates: [{ fn: 'sum', column: 'qty', as: 'total' }] } },
      { id: 'both', name: 'both', kind: 'union', inputs: ['orders', 'orders2'], config: { by_name: true } },
      { id: 'latest', name: 'latest', kind: 'deduplicate', inputs: ['orders'], config: { keys: ['cust'], order_by: [{ column: 'qty', direction: 'desc' }], keep: 'first' } },
      { id: 'checked', name: 'checked', kind: 'check', inputs: ['totals'], config: { rules: [{ type: 'not_null', column: 'region', severity: 'warn' }] } },
      { id: 'doubled', name: 'doubled', kind: 'sql', inputs: ['checked'], config: { sql: ['select region, total * 2 as double_total', 'from checked', 'where total > 1'] } },
      { id: 'out', name: 'out', kind: 'file_sink', inputs: ['checked'], config: { path: 'out/totals.csv', format: 'csv' } },
    ],
  };
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

/** `column: direct | indirect` of one node, refs as node.column, sorted. */
function shape(graph: PipelineLineage, node: string): Record<string, string> {
  const n = graph.nodes.find((x) => x.name === node)!;
  const list = (refs: { node: string; column: string }[]) => refs.map((r) => `${r.node}.${r.column}`).sort().join(' ');
  return Object.fromEntries(n.columns.map((c) => [c.name, `${list(c.direct)} | ${list(c.indirect)}${c.unknown.length ? ` ? ${c.unknown.join('; ')}` : ''}`]));
}

describe('engine.lineage() across node kinds', () => {
  it('declares each kind\'s lineage, and traces through all of them', async () => {
    const file = pipelineFile();
    const { pipeline } = parsePipeline(readFileSync(file, 'utf8'));
    const graph = await testEngine().lineage({ pipeline, file });
    expect(graph.nodes.map((n) => n.name).slice(0, 3)).toEqual(['orders', 'customers', 'orders2']);
    expect(graph.nodes.find((n) => n.name === 'orders')).toMatchObject({ category: 'source', columns: [{ name: 'cust', type: 'VARCHAR', direct: [], indirect: [] }, { name: 'qty' }, { name: 'price' }] });
    expect(shape(graph, 'big')).toEqual({ cust: 'orders.cust | orders.qty', qty: 'orders.qty | ', price: 'orders.price | orders.qty' });
    expect(shape(graph, 'picked')).toEqual({ quantity: 'big.qty | ' });
    expect(shape(graph, 'joined')).toEqual({
      cust: 'big.cust | customers.id',
      qty: 'big.qty | big.cust customers.id',
      price: 'big.price | big.cust customers.id',
      id: 'customers.id | big.cust',
      region: 'customers.region | big.cust customers.id',
    });
    expect(shape(graph, 'totals')).toEqual({ region: 'joined.region | ', total: 'joined.qty | joined.region' });
    expect(shape(graph, 'both')).toEqual({ cust: 'orders.cust orders2.cust | ', qty: 'orders.qty orders2.qty | ', price: 'orders.price | ', note: 'orders2.note | ' });
    // QUALIFY row_number() over (partition by cust order by qty desc, <the whole row>) = 1
    expect(shape(graph, 'latest')).toEqual({ cust: 'orders.cust | orders.price orders.qty', qty: 'orders.qty | orders.cust orders.price', price: 'orders.price | orders.cust orders.qty' });
    expect(shape(graph, 'checked')).toEqual({ region: 'totals.region | ', total: 'totals.total | ' });
    expect(shape(graph, 'doubled')).toEqual({ region: 'checked.region | checked.total', double_total: 'checked.total | ' });
    expect(shape(graph, 'out')).toEqual({ region: 'checked.region | ', total: 'checked.total | ' });

    // Back to the sources: the value of a sink's total flows from orders.qty; the join keys and the region decide it.
    const up = traceColumn(graph, { node: 'out', column: 'total' }, 'upstream');
    const sources = (via: string) => up.hits.filter((h) => h.via === via && ['orders', 'customers', 'orders2'].includes(h.node)).map((h) => `${h.node}.${h.column}`).sort();
    expect(sources('direct')).toEqual(['orders.qty']);
    expect(sources('indirect')).toEqual(['customers.id', 'customers.region', 'orders.cust']);
    // And forward: orders.qty feeds the sink's total directly, and the picked quantity.
    const down = traceColumn(graph, { node: 'orders', column: 'qty' }, 'downstream');
    const via = (node: string, column: string) => down.hits.find((h) => h.node === node && h.column === column)?.via;
    expect(via('out', 'total')).toBe('direct');
    expect(via('picked', 'quantity')).toBe('direct');
    expect(via('out', 'region')).toBe('indirect'); // the filter qty > 0 decides which rows reach the regions
    expect(via('both', 'note')).toBeUndefined();
  });

  it('in a warm preview session, makes every branch in one request, then nothing again', async () => {
    const file = pipelineFile();
    const { pipeline } = parsePipeline(readFileSync(file, 'utf8'));
    const engine = testEngine();
    const session = await engine.previewSession(file);
    try {
      const first = await engine.lineage({ pipeline, file }, session);
      // Every node with a relation was made by that one request (the sink stands for its input).
      expect([...session.last.made].sort()).toEqual(['big', 'both', 'checked', 'customers', 'doubled', 'joined', 'latest', 'orders', 'orders2', 'picked', 'totals']);
      const second = await engine.lineage({ pipeline, file }, session);
      expect(session.last.made).toEqual([]);
      expect(second).toEqual(first);
      // An edit re-makes only what it changed, and the graph follows it.
      const edited = { ...pipeline, nodes: pipeline.nodes.map((n) => (n.id === 'doubled' ? { ...n, config: { sql: ['select total * 3 as tripled, region', 'from checked'] } } : n)) };
      const third = await engine.lineage({ pipeline: edited, file }, session);
      expect(session.last.made).toEqual(['doubled']);
      expect(shape(third, 'doubled')).toEqual({ tripled: 'checked.total | ', region: 'checked.region | ' });
    } finally {
      await session.close();
    }
  });
});
