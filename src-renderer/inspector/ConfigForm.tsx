import { useEffect, useId, useRef, useState, type JSX } from 'react';
import type { z } from 'zod';
import { dropHidden, needOf, type FormNeeds } from '../../shared/nodes/form-needs';
import { fieldText, type FieldHint } from '../../shared/nodes/lowcode';
import type { ColumnInfo } from '../sql/completion';
import { hintedField, hintPath } from './HintedFields';
import { SqlEditor } from '../sql/SqlEditor';
import { formNeedsOf, humanize, initialValue, parseScalar, scalarText, type FieldSpec, type ObjectField } from './schema-form';

export interface FormContext {
  nodeId: string;
  issues: ReadonlyMap<string, string[]>;
  /** Table names the node's SQL may read. */
  tables: readonly string[];
  /** Low-code kinds: what fields offer beyond their schema (column pickers, SQL editors), by `columns[].name` paths. */
  hints?: Readonly<Record<string, FieldHint>>;
  /** The known columns of the node's input i (null while unknown). */
  columnsOf?(input: number): readonly ColumnInfo[] | null;
  /** Labels and help from `Label — help` descriptions (the low-code kinds write them so). */
  describedLabels?: boolean;
  /** The kind's declared field needs (which fields a function or a format uses); ConfigForm reads them off the kind. */
  needs?: FormNeeds;
}

interface FieldProps {
  spec: FieldSpec;
  value: unknown;
  /** What the engine uses when the value is left out: shown, not written. */
  fallback?: unknown;
  onChange(v: unknown): void;
  path: string;
  ctx: FormContext;
  id: string;
  placeholder?: string;
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

function Issues({ ctx, path }: { ctx: FormContext; path: string }): JSX.Element | null {
  const messages = ctx.issues.get(path);
  if (!messages?.length) return null;
  return (
    <div className="field-issue" role="alert">
      {messages.join('; ')}
    </div>
  );
}

/** A JSON text field for shapes without a form of their own; committed when it parses. */
function JsonField({ value, onChange, id }: FieldProps): JSX.Element {
  const rowsPerLine = Array.isArray(value) && value.every((r) => Array.isArray(r));
  const show = (v: unknown) => (rowsPerLine ? (v as unknown[]).map((r) => JSON.stringify(r)).join('\n') : JSON.stringify(v ?? null, null, 2));
  const [text, setText] = useState(() => show(value));
  const [error, setError] = useState<string | null>(null);
  const committed = useRef(value);
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setText(show(value));
      setError(null);
    }
    // show() depends on nothing but value
  }, [value]);
  return (
    <>
      <textarea
        id={id}
        className={`code${error ? ' invalid' : ''}`}
        value={text}
        rows={Math.min(16, Math.max(3, text.split('\n').length + 1))}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const parsed = rowsPerLine
              ? e.target.value.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown)
              : (JSON.parse(e.target.value) as unknown);
            committed.current = parsed;
            setError(null);
            onChange(parsed);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      />
      {rowsPerLine && <div className="hint">One JSON array per line, a value per column.</div>}
      {error && <div className="field-issue">Not JSON yet: {error}</div>}
    </>
  );
}

function LinesField({ spec, value, onChange, id, ctx, path }: FieldProps & { spec: Extract<FieldSpec, { kind: 'lines' }> }): JSX.Element {
  const items = Array.isArray(value) ? value : [];
  if (spec.sql) {
    // The node's own query (a SQL node's `sql`) shows where its last preview or run failed.
    return <SqlEditor id={id} nodeId={ctx.nodeId} slot={path} diagnostics={path === 'sql'} lines={items.map(String)} onChange={onChange} tables={ctx.tables} />;
  }
  const types = spec.item.kind === 'scalar' ? spec.item.types : spec.item.kind === 'number' ? (['number'] as const) : (['string'] as const);
  return (
    <>
      <textarea
        id={id}
        value={items.map(scalarText).join('\n')}
        rows={Math.min(10, Math.max(2, items.length + 1))}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value === '' ? [] : e.target.value.split('\n').map((l) => parseScalar(l, types) ?? l))}
      />
      <div className="hint">One per line.</div>
    </>
  );
}

function ListField({ spec, value, onChange, path, ctx, id }: FieldProps & { spec: Extract<FieldSpec, { kind: 'list' }> }): JSX.Element {
  const items = Array.isArray(value) ? value : [];
  const set = (i: number, v: unknown) => onChange(items.map((x, j) => (j === i ? v : x)));
  const move = (i: number, d: number) => {
    const next = [...items];
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x);
    onChange(next);
  };
  return (
    <div className="list-field">
      {items.map((item, i) => (
        <div className="list-item" key={i} data-field={join(path, i)}>
          <div className="list-item-bar">
            <span className="muted">#{i + 1}</span>
            <span className="spacer" />
            <button type="button" className="icon-btn" disabled={i === 0} onClick={() => move(i, -1)} aria-label="Move up">↑</button>
            <button type="button" className="icon-btn" disabled={i === items.length - 1} onClick={() => move(i, 1)} aria-label="Move down">↓</button>
            <button type="button" className="icon-btn" onClick={() => onChange(items.filter((_, j) => j !== i))} aria-label="Remove">✕</button>
          </div>
          <Field spec={spec.item} value={item} onChange={(v) => set(i, v)} path={join(path, i)} ctx={ctx} id={`${id}-${i}`} />
        </div>
      ))}
      <button type="button" className="btn small" onClick={() => onChange([...items, initialValue(spec.item)])}>
        Add
      </button>
      <Issues ctx={ctx} path={path} />
    </div>
  );
}

function ObjectFields({ fields, value, onChange, path, ctx, id, skip }: { fields: ObjectField[]; value: unknown; onChange(v: unknown): void; path: string; ctx: FormContext; id: string; skip?: string }): JSX.Element {
  const obj = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  // Needs are declared by object path in `[]` form: `aggregates[]` for `aggregates.2`.
  const objectPath = hintPath(path);
  const need = (key: string) => needOf(ctx.needs, objectPath, obj, key);
  const set = (key: string, v: unknown) => {
    let next: Record<string, unknown> = { ...obj };
    if (v === undefined) delete next[key];
    else next[key] = v;
    // Another function or format: the fields it does not use go with the old one.
    if (ctx.needs?.[objectPath]?.by === key) next = dropHidden(ctx.needs, objectPath, next);
    onChange(next);
  };
  return (
    <div className="object-fields">
      {fields
        // A field the current function or format does not use is not offered (one that still
        // holds a value stays, with its problem, until cleared).
        .filter((f) => f.key !== skip && !(need(f.key) === 'hidden' && obj[f.key] === undefined))
        .map((f) => {
          const fid = `${id}-${f.key}`;
          const text = ctx.describedLabels && f.description?.includes(' — ') ? fieldText(f.description) : { label: f.label, help: f.description ?? '' };
          const fpath = join(path, f.key);
          const v = obj[f.key];
          const required = f.required || need(f.key) === 'required';
          if (f.spec.kind === 'object' && !required && v === undefined) {
            return (
              <div className="field" key={f.key} data-field={fpath}>
                <button type="button" className="btn small ghost" onClick={() => set(f.key, initialValue(f.spec))}>
                  + {text.label} options
                </button>
              </div>
            );
          }
          if (f.spec.kind === 'boolean') {
            return (
              <div className="field checkbox" key={f.key} data-field={fpath}>
                <label htmlFor={fid}>
                  <input id={fid} type="checkbox" checked={(v ?? f.default) === true} onChange={(e) => set(f.key, e.target.checked)} /> {text.label}
                </label>
                {ctx.describedLabels && text.help && <div className="hint">{text.help}</div>}
                <Issues ctx={ctx} path={fpath} />
              </div>
            );
          }
          return (
            <div className={`field field-${f.spec.kind}`} key={f.key} data-field={fpath} data-need={required ? 'required' : (need(f.key) ?? 'optional')}>
              <div className="field-label">
                <label htmlFor={fid}>
                  {text.label}
                  {!required && f.default === undefined && f.spec.kind !== 'const' && <span className="muted"> (optional)</span>}
                </label>
                {f.spec.kind === 'object' && !required && (
                  <button type="button" className="link" onClick={() => set(f.key, undefined)}>
                    remove
                  </button>
                )}
              </div>
              {text.help && <div className="hint">{text.help}</div>}
              <Field spec={f.spec} value={v} fallback={f.default} onChange={(x) => set(f.key, x)} path={fpath} ctx={ctx} id={fid} />
              {f.spec.kind !== 'list' && <Issues ctx={ctx} path={fpath} />}
            </div>
          );
        })}
    </div>
  );
}

function Field(props: FieldProps): JSX.Element | null {
  const { spec, value, onChange, id, path, ctx, fallback } = props;
  const placeholder = fallback !== undefined && typeof fallback !== 'object' ? String(fallback) : undefined;
  const hint = ctx.hints?.[hintPath(path)];
  if (hint && (spec.kind === 'text' || spec.kind === 'lines')) {
    const hinted = hintedField({ hint, kind: spec.kind, value, onChange, id, path, placeholder, ctx });
    if (hinted) return hinted;
  }
  switch (spec.kind) {
    case 'text':
      return spec.multiline ? (
        <textarea id={id} value={typeof value === 'string' ? value : ''} rows={2} onChange={(e) => onChange(e.target.value || undefined)} />
      ) : (
        <input id={id} type="text" value={typeof value === 'string' ? value : ''} placeholder={placeholder} spellCheck={false} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      );
    case 'number':
      return (
        <input
          id={id}
          type="number"
          step={spec.integer ? 1 : 'any'}
          value={typeof value === 'number' ? value : ''}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      );
    case 'boolean':
      return <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case 'enum':
      return (
        <select id={id} value={typeof value === 'string' ? value : typeof fallback === 'string' ? fallback : ''} onChange={(e) => onChange(e.target.value || undefined)}>
          {typeof value !== 'string' && typeof fallback !== 'string' && <option value="">—</option>}
          {spec.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'const':
      return <code className="const">{String(spec.value)}</code>;
    case 'scalar':
      return <input id={id} type="text" value={scalarText(value)} onChange={(e) => onChange(parseScalar(e.target.value, spec.types))} />;
    case 'lines':
      return <LinesField {...props} spec={spec} />;
    case 'list':
      return <ListField {...props} spec={spec} />;
    case 'object':
      return <ObjectFields fields={spec.fields} value={value} onChange={onChange} path={path} ctx={ctx} id={id} />;
    case 'variant': {
      const obj = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
      const current = spec.options.find((o) => o.value === obj[spec.discriminator]);
      return (
        <div className="variant">
          <div className="field">
            <div className="field-label">
              <label htmlFor={`${id}-variant`}>{humanize(spec.discriminator)}</label>
            </div>
            <select
              id={`${id}-variant`}
              value={current?.value ?? ''}
              onChange={(e) => {
                const opt = spec.options.find((o) => o.value === e.target.value);
                if (!opt) return;
                // Keep the fields the new variant shares with the old one.
                const keep = Object.fromEntries(Object.entries(obj).filter(([k]) => opt.spec.fields.some((f) => f.key === k)));
                onChange({ ...(initialValue(opt.spec) as object), ...keep, [spec.discriminator]: opt.value });
              }}
            >
              {!current && <option value="">—</option>}
              {spec.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {humanize(o.value)}
                </option>
              ))}
            </select>
          </div>
          {current && <ObjectFields fields={current.spec.fields} value={value} onChange={onChange} path={path} ctx={ctx} id={id} skip={spec.discriminator} />}
        </div>
      );
    }
    case 'json':
      return <JsonField {...props} />;
  }
}

/** The form of a node's config: generated from its kind's schema, validated by it on every change. */
export function ConfigForm({ spec, value, onChange, ctx, schema }: { spec: FieldSpec; value: unknown; onChange(v: Record<string, unknown>): void; ctx: FormContext; schema: z.ZodType }): JSX.Element {
  const id = useId();
  const withNeeds = ctx.needs ? ctx : { ...ctx, needs: formNeedsOf(schema) };
  return <Field spec={spec} value={value} onChange={(v) => onChange((v ?? {}) as Record<string, unknown>)} path="" ctx={withNeeds} id={`cfg${id.replace(/:/g, '')}`} />;
}
