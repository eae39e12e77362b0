import type { SeedConfig } from '../../../../shared/nodes/seed';
import { ident, literal } from '../../duckdb/sql';
import type { NodeRuntime } from '../types';

function value(v: string | number | boolean | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return literal(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'NULL';
    return String(v);
  }
  return v ? 'TRUE' : 'FALSE';
}

export const seedRuntime: NodeRuntime<SeedConfig> = {
  kind: 'seed',
  cacheable: true,
  // Its rows are in its config: nothing outside the pipeline file to fingerprint.
  selfContained: true,
  compile({ node, config }) {
    const name = ident(node.name);
    const cols = config.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
    const statements = [`CREATE OR REPLACE TABLE ${name} (${cols})`];
    if (config.rows.length) {
      const rows = config.rows.map((r) => `(${r.map(value).join(', ')})`).join(',\n  ');
      statements.push(`INSERT INTO ${name} VALUES\n  ${rows}`);
    }
    return { relation: 'table', statements };
  },
};
