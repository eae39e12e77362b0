import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenizeSql } from '../../../shared/pipeline/sql-tokens';
import { formatSql } from '../../../src-renderer/sql/format-sql';

const code = (sql: string) => tokenizeSql(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment').map((t) => t.text);

describe('format SQL', () => {
  it('lays out clauses, keeps getvariable(…) and macro calls as calls, and keeps case, quoting and strings', () => {
    const sql = `select lot, "Cell Count", getvariable('batch_id') as b, my_macro(x) from Lots l where l.lot = getvariable('batch_id') and note = 'a  b' -- keep me`;
    expect(formatSql(sql)).toBe(
      [
        'select',
        '  lot,',
        '  "Cell Count",',
        "  getvariable('batch_id') as b,",
        '  my_macro(x)',
        'from',
        '  Lots l',
        'where',
        "  l.lot = getvariable('batch_id')",
        "  and note = 'a  b' -- keep me",
      ].join('\n'),
    );
  });

  it('leaves a space before "(" where the analyst wrote one (IN (…), USING (…))', () => {
    const out = formatSql('select * from a join b using (lot) where lot in (1, 2)');
    expect(out).toContain('using (lot)');
    expect(out).toContain('in (1, 2)');
  });

  it('changes only spacing in every SQL node of the templates', () => {
    const templates = join(import.meta.dirname, '../../../templates');
    let nodes = 0;
    for (const dir of readdirSync(templates)) {
      for (const f of readdirSync(join(templates, dir, 'pipelines'))) {
        const p = JSON.parse(readFileSync(join(templates, dir, 'pipelines', f), 'utf8')) as { nodes: { config: { sql?: unknown } }[] };
        for (const n of p.nodes) {
          if (!Array.isArray(n.config.sql)) continue;
          const sql = (n.config.sql as string[]).join('\n');
          expect(code(formatSql(sql))).toEqual(code(sql));
          nodes++;
        }
      }
    }
    expect(nodes).toBeGreaterThan(5);
  });

  it('refuses, in one line, SQL it cannot parse', () => {
    expect(() => formatSql('select (((')).toThrow();
  });
});
