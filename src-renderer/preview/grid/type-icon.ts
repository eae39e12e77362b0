/**
 * A small mark per column type in the grid's header and the profile, so the kind of a column
 * reads at a glance (the full DuckDB type stays written under the name).
 */
export interface TypeIcon {
  glyph: string;
  /** The family in words, for the tooltip and for tests. */
  kind: string;
}

export function typeIcon(type: string): TypeIcon {
  const t = type.trim().toUpperCase();
  if (/\]$/.test(t)) return { glyph: '[ ]', kind: 'list' };
  if (/^(STRUCT|MAP|UNION|JSON)/.test(t)) return { glyph: '{ }', kind: 'nested' };
  if (/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|INT\d*)$/.test(t)) return { glyph: '#', kind: 'integer' };
  if (/^(FLOAT\d*|DOUBLE|REAL|DECIMAL|NUMERIC)/.test(t)) return { glyph: '.5', kind: 'decimal' };
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)/.test(t)) return { glyph: 'Aa', kind: 'text' };
  if (t === 'BOOLEAN') return { glyph: '✓✗', kind: 'boolean' };
  if (t === 'DATE') return { glyph: '▦', kind: 'date' };
  if (/^TIMESTAMP/.test(t)) return { glyph: '◷', kind: 'timestamp' };
  if (/^TIME/.test(t)) return { glyph: '◷', kind: 'time' };
  if (t === 'INTERVAL') return { glyph: '↔', kind: 'interval' };
  if (t === 'UUID') return { glyph: 'id', kind: 'uuid' };
  if (/^(BLOB|BYTEA|BIT)/.test(t)) return { glyph: '01', kind: 'binary' };
  return { glyph: '·', kind: 'other' };
}
