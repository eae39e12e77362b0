import { describe, expect, it } from 'vitest';
import { sqlCompletions, type CompletionRequest, type TableSchema } from '../../../src-renderer/sql/completion';
import { SQL_KEYWORDS } from '../../../src-renderer/sql/keywords';
import { statementScope } from '../../../src-renderer/sql/sql-scope';
import { tokenizeSql } from '../../../shared/pipeline/sql-tokens';

const lots: TableSchema = { name: 'lots', columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'viability', type: 'DOUBLE' }, { name: 'Cell Count', type: 'BIGINT' }] };
const assays: TableSchema = { name: 'assays', columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'cd3_pct', type: 'DOUBLE' }, { name: 'order', type: 'INTEGER' }] };
const functions = [
  { name: 'round', type: 'scalar', description: 'Rounds x to s decimal places', params: 'x, precision' },
  { name: 'count', type: 'aggregate', description: null, params: '' },
  { name: 'read_csv', type: 'table', description: null, params: 'path' },
  { name: 'getvariable', type: 'scalar', description: null, params: 'name' },
  // What DuckDB's function list holds besides: generators node SQL may call, and internals it may not.
  { name: 'range', type: 'table', description: null, params: 'start, stop' },
  { name: 'checkpoint', type: 'table', description: null, params: '' },
  { name: 'disable_logging', type: 'table', description: null, params: '' },
  { name: 'arrow_scan_dumb', type: 'table', description: null, params: 'a, b, c' },
  { name: 'current_setting', type: 'scalar', description: null, params: 'name' },
];

/** Completion at the `|` in `sql`. */
function at(sql: string, more: Partial<CompletionRequest> = {}) {
  const offset = sql.indexOf('|');
  const text = sql.slice(0, offset) + sql.slice(offset + 1);
  const r = sqlCompletions({ text, offset, tables: [lots, assays], functions, keywords: SQL_KEYWORDS, params: ['batch_id'], ...more });
  const labels = (kind?: string) => r.suggestions.filter((s) => !kind || s.kind === kind).map((s) => s.label);
  const byLabel = (label: string) => r.suggestions.find((s) => s.label === label);
  return { ...r, text, labels, byLabel, replaced: text.slice(r.from, r.to) };
}

describe('SQL completion', () => {
  it('after FROM offers the inputs first, then the table functions node SQL may call, and no columns', () => {
    const c = at('select * from |');
    expect(c.labels('table')).toEqual(['lots', 'assays']);
    // Only the sandbox's generators: never DuckDB internals, nor file readers it refuses (issue #15, item 12).
    expect(c.labels('function')).toEqual(['range']);
    expect(c.labels('column')).toEqual([]);
    expect(c.byLabel('lots')!.sortText < c.byLabel('range')!.sortText).toBe(true);
  });

  it('never offers DuckDB internals or functions the sandbox refuses, where a table goes or in an expression', () => {
    for (const sql of ['select * from |', 'select * from lots join |', 'select * from lots, |']) {
      const labels = at(sql).labels();
      for (const internal of ['checkpoint', 'disable_logging', 'arrow_scan_dumb', 'read_csv']) expect(labels, sql).not.toContain(internal);
    }
    const expr = at('select cur| from lots').labels('function');
    expect(expr).not.toContain('current_setting');
    expect(at('select rou| from lots').labels('function')).toContain('round');
  });

  it('a typed space asks only where a table goes: after FROM and JOIN the inputs come unasked', () => {
    expect(at('select * from |', { afterSpace: true }).labels('table')).toEqual(['lots', 'assays']);
    expect(at('select * from lots l join |', { afterSpace: true }).labels('table')).toEqual(['lots', 'assays']);
    expect(at('from batches\njoin |', { afterSpace: true }).labels('table')).toEqual(['lots', 'assays']);
    // Elsewhere a space is just a space: nothing pops up.
    expect(at('select |', { afterSpace: true }).suggestions).toEqual([]);
    expect(at('select * from lots |', { afterSpace: true }).suggestions).toEqual([]);
    expect(at('select * from lots where lot = |', { afterSpace: true }).suggestions).toEqual([]);
    // Asked for (Ctrl+Space, or typing a word), the same place still offers everything.
    expect(at('select |').labels('column').length).toBeGreaterThan(0);
  });

  it('after JOIN and after a comma in a FROM list offers tables, and replaces the word being typed', () => {
    const join = at('select * from lots l join ass|');
    expect(join.labels('table')).toContain('assays');
    expect(join.replaced).toBe('ass');
    expect(at('select * from lots, |').labels('table')).toEqual(['lots', 'assays']);
    // …but a comma in the select list is an expression.
    expect(at('select lot, | from lots').labels('column')).toContain('viability');
  });

  it("in an expression offers the columns of the tables the statement reads, with their types", () => {
    const c = at('select | from lots');
    expect(c.labels('column')).toEqual(['lot', 'viability', 'Cell Count']);
    expect(c.byLabel('viability')?.detail).toBe('DOUBLE · lots');
    // A column that needs quoting is inserted quoted.
    expect(c.byLabel('Cell Count')?.insertText).toBe('"Cell Count"');
    // Then tables, functions (as calls), keywords.
    expect(c.byLabel('round')).toMatchObject({ kind: 'function', insertText: 'round($0)', snippet: true, documentation: 'Rounds x to s decimal places' });
    expect(c.labels('function')).not.toContain('read_csv');
    expect(c.labels('keyword')).toContain('where');
    const order = ['viability', 'lots', 'round', 'where'].map((l) => c.byLabel(l)!.sortText);
    expect([...order].sort()).toEqual(order);
  });

  it('offers every input\'s columns before the statement names a table, once per name', () => {
    const c = at('select |');
    expect(c.labels('column')).toEqual(['lot', 'viability', 'Cell Count', 'cd3_pct', 'order']);
    expect(c.byLabel('lot')?.detail).toBe('VARCHAR · lots, assays');
    expect(c.byLabel('order')?.insertText).toBe('"order"'); // a reserved word
  });

  it('after alias. or table. offers only that table\'s columns', () => {
    const sql = 'select a.| from lots l join assays as a on l.lot = a.lot';
    const c = at(sql);
    expect(c.labels()).toEqual(['lot', 'cd3_pct', 'order']);
    expect(at('select l.v| from lots l').labels()).toEqual(['lot', 'viability', 'Cell Count']);
    expect(at('select l.v| from lots l').replaced).toBe('v');
    expect(at('select assays.| from assays').labels()).toEqual(['lot', 'cd3_pct', 'order']);
    expect(at('select "LOTS".| from lots').labels()).toContain('viability'); // case-insensitive, quoted or not
    expect(at('select x.| from lots').labels()).toEqual([]); // unknown qualifier: nothing rather than noise
  });

  it('looks only at the statement around the cursor and across lines', () => {
    const c = at('select * from assays;\nselect\n  |\nfrom lots');
    expect(c.labels('column')).toEqual(['lot', 'viability', 'Cell Count']);
  });

  it('offers CTE names where a table goes', () => {
    const c = at('with passing as (select * from lots where viability > 70)\nselect * from |');
    expect(c.labels('table')).toEqual(['lots', 'assays', 'passing']);
  });

  it('says nothing inside strings and comments, and after AS', () => {
    expect(at("select 'lo|' from lots").suggestions).toEqual([]);
    expect(at('select 1 -- lo|').suggestions).toEqual([]);
    expect(at('select 1 /* lo| */').suggestions).toEqual([]);
    expect(at('select viability as |').suggestions).toEqual([]);
  });

  it("inside getvariable('…') offers the pipeline's parameters", () => {
    const c = at("select * from lots where lot = getvariable('b|')");
    expect(c.labels()).toEqual(['batch_id']);
    expect(c.replaced).toBe('b');
  });

  it('replaces a quoted name whole when the editor already closed its quote', () => {
    const c = at('select "Ce|" from lots');
    expect(c.replaced).toBe('"Ce"');
    expect(c.byLabel('Cell Count')?.filterText).toBe('"Cell Count"');
  });

  it('does not add parentheses where they already follow, and keeps keywords in the case typed', () => {
    expect(at('select rou|(viability) from lots').byLabel('round')).toMatchObject({ insertText: 'round', snippet: false });
    expect(at('SELECT * FROM lots WH|').byLabel('WHERE')?.insertText).toBe('WHERE');
    expect(at('select * from lots wh|').byLabel('where')?.insertText).toBe('where');
  });

  it('knows the inputs even before their columns arrive', () => {
    const c = at('select * from |', { tables: [{ name: 'lots', columns: [] }] });
    expect(c.byLabel('lots')).toMatchObject({ kind: 'table', detail: 'input' });
  });
});

describe('statement scope', () => {
  it('reads tables, aliases and CTEs; table functions and schema-qualified names are not inputs', () => {
    const s = statementScope(tokenizeSql('with x as (select 1) select * from lots l, main.other o join "Assays" as a using (lot) cross join read_csv(\'f.csv\') r'));
    expect(s.refs).toEqual([
      { key: 'lots', alias: 'l' },
      { key: 'other', alias: 'o' },
      { key: 'assays', alias: 'a' },
    ]);
    expect(s.ctes).toEqual(['x']);
  });
});
