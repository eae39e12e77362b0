import { useId, useState, type JSX } from 'react';
import type { FieldHint } from '../../shared/nodes/lowcode';
import { commonDuckdbTypes } from '../../shared/nodes/select';
import type { ColumnInfo } from '../sql/completion';
import { SqlEditor } from '../sql/SqlEditor';

/**
 * Form widgets for fields a low-code kind describes beyond its schema (lowCodeFieldHints):
 * a column of an input (picked from its columns, or typed), a DuckDB type, an SQL fragment.
 * Columns come from the background schema cache; until they are known, names are typed.
 */
export interface HintContext {
  nodeId: string;
  tables: readonly string[];
  columnsOf?(input: number): readonly ColumnInfo[] | null;
}

interface HintedProps {
  hint: FieldHint;
  kind: 'text' | 'lines';
  value: unknown;
  onChange(v: unknown): void;
  id: string;
  path: string;
  placeholder?: string;
  ctx: HintContext;
}

const sameColumn = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function ColumnInput({ value, onChange, id, placeholder, columns }: { value: unknown; onChange(v: unknown): void; id: string; placeholder?: string; columns: readonly ColumnInfo[] | null }): JSX.Element {
  const listId = `${id}-columns`;
  const text = typeof value === 'string' ? value : '';
  const known = !columns || !text || columns.some((c) => sameColumn(c.name, text));
  return (
    <>
      <input
        id={id}
        type="text"
        list={columns ? listId : undefined}
        value={text}
        placeholder={placeholder ?? (columns ? 'pick or type a column' : undefined)}
        spellCheck={false}
        autoComplete="off"
        className={known ? undefined : 'unknown-column'}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      />
      {columns && (
        <datalist id={listId}>
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.type}
            </option>
          ))}
        </datalist>
      )}
      {!known && <div className="hint">Not a column of the input (as far as its last schema says).</div>}
    </>
  );
}

/** A list of columns: each input column toggles in or out; other names can be typed. */
function ColumnList({ value, onChange, id, columns }: { value: unknown; onChange(v: unknown): void; id: string; columns: readonly ColumnInfo[] | null }): JSX.Element {
  const items = Array.isArray(value) ? value.map(String) : [];
  const [extra, setExtra] = useState('');
  if (!columns) {
    return (
      <>
        <textarea
          id={id}
          value={items.join('\n')}
          rows={Math.min(10, Math.max(2, items.length + 1))}
          spellCheck={false}
          onChange={(e) => onChange(e.target.value === '' ? [] : e.target.value.split('\n'))}
        />
        <div className="hint">One column per line (the input's columns are offered once they are known).</div>
      </>
    );
  }
  const has = (name: string) => items.some((i) => sameColumn(i, name));
  const toggle = (name: string) => onChange(has(name) ? items.filter((i) => !sameColumn(i, name)) : [...items, name]);
  const unknown = items.filter((i) => !columns.some((c) => sameColumn(c.name, i)));
  const add = () => {
    const name = extra.trim();
    if (name && !has(name)) onChange([...items, name]);
    setExtra('');
  };
  return (
    <div className="column-list" data-testid={`${id}-picks`}>
      <div className="column-picks" role="group">
        {columns.map((c) => (
          <label key={c.name} className={`column-pick${has(c.name) ? ' on' : ''}`} title={c.type}>
            <input type="checkbox" checked={has(c.name)} onChange={() => toggle(c.name)} />
            {c.name} <span className="type">{c.type.toLowerCase()}</span>
          </label>
        ))}
        {unknown.map((name) => (
          <label key={`?${name}`} className="column-pick on unknown" title="not among the input's columns">
            <input type="checkbox" checked onChange={() => toggle(name)} />
            {name} ✕
          </label>
        ))}
      </div>
      <input
        id={id}
        className="column-add"
        type="text"
        value={extra}
        placeholder="another column name, then Enter"
        spellCheck={false}
        onChange={(e) => setExtra(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
      />
      {items.length > 0 && <div className="hint">In this order: {items.join(', ')}</div>}
    </div>
  );
}

function TypeInput({ value, onChange, id }: { value: unknown; onChange(v: unknown): void; id: string }): JSX.Element {
  const listId = useId();
  return (
    <>
      <input id={id} type="text" list={listId} value={typeof value === 'string' ? value : ''} spellCheck={false} autoComplete="off" onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      <datalist id={listId}>
        {commonDuckdbTypes.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
    </>
  );
}

/** The widget for a hinted field, or null where the hint does not fit the field's shape. */
export function hintedField({ hint, kind, value, onChange, id, path, placeholder, ctx }: HintedProps): JSX.Element | null {
  // Called as a function (no hooks of its own), so that a null answer falls back to the plain field.
  if (hint.type === 'column') {
    const columns = ctx.columnsOf?.(hint.input) ?? null;
    return kind === 'text' ? <ColumnInput value={value} onChange={onChange} id={id} placeholder={placeholder} columns={columns} /> : <ColumnList value={value} onChange={onChange} id={id} columns={columns} />;
  }
  if (kind !== 'text') return null;
  if (hint.type === 'duckdb_type') return <TypeInput value={value} onChange={onChange} id={id} />;
  return (
    <SqlEditor
      id={id}
      nodeId={ctx.nodeId}
      slot={path}
      variant="fragment"
      lines={(typeof value === 'string' ? value : '').split('\n')}
      onChange={(lines) => {
        const text = lines.join('\n');
        onChange(text === '' ? undefined : text);
      }}
      tables={ctx.tables}
      ariaLabel={path}
    />
  );
}

/** `columns.0.name` → `columns[].name`, the form lowCodeFieldHints keys use. */
export function hintPath(path: string): string {
  return path.replace(/\.\d+(?=\.|$)/g, '[]');
}
