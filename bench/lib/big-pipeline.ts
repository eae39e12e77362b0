import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';

/**
 * A pipeline of `total` nodes for the canvas figure: chains of SQL nodes, each starting at
 * a seed source, every fifth node also joining the chain above it, laid out on a grid.
 */
export function bigPipelineText(total: number, chainLength = 20): string {
  const chains = Math.ceil(total / chainLength);
  const nodes: Pipeline['nodes'] = [];
  const layout: Pipeline['layout'] = {};
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < chainLength && nodes.length < total; i++) {
      const id = `n_${c}_${i}`;
      const name = i === 0 ? `source_${c}` : `step_${c}_${i}`;
      layout[id] = { x: i * 300, y: c * 160 };
      if (i === 0) {
        nodes.push({ id, name, kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'value', type: 'DOUBLE' }], rows: [['B0001', 1]] } });
        continue;
      }
      const prev = `step_${c}_${i - 1}`.replace(`step_${c}_0`, `source_${c}`);
      const inputs = [`n_${c}_${i - 1}`];
      const sql = ['select batch_id, value + 1 as value', `from ${prev}`];
      const above = nodes.find((n) => n.id === `n_${c - 1}_${i}`);
      if (i % 5 === 0 && above) {
        inputs.push(above.id);
        sql.push(`union all select batch_id, value from ${above.name}`);
      }
      nodes.push({ id, name, kind: 'sql', inputs, config: { sql } });
    }
  }
  return serializePipeline({ format: 'weir.pipeline', version: 1, name: `canvas_${total}`, params: {}, nodes, layout } as Pipeline);
}
