import type { JSX } from 'react';
import type { ParamSpec, Pipeline } from '../../shared/pipeline/schema';
import { useDoc } from '../document/doc-store';
import { cliHint } from './cli-hint';
import { paramProblem, useRunConfig } from './run-config-store';
import './run.css';

const EMPTY: Record<string, string> = {};

function parseDefault(type: ParamSpec['type'], text: string): ParamSpec['default'] {
  const t = text.trim();
  if (type === 'integer' || type === 'number') return Number(t);
  if (type === 'boolean') return /^(true|1)$/i.test(t);
  return text;
}

/** Makes the typed value the parameter's default: an edit of the pipeline file (undoable). */
function setAsDefault(name: string, text: string): void {
  useDoc.getState().apply((p: Pipeline) => {
    const spec = p.params[name];
    if (!spec) return p;
    return { ...p, params: { ...p.params, [name]: { ...spec, default: parseDefault(spec.type, text) } } };
  });
}

function ParamRow({ name, spec, text, path }: { name: string; spec: ParamSpec; text: string | undefined; path: string }): JSX.Element {
  const problem = text !== undefined && text !== '' ? paramProblem(spec.type, text) : null;
  const missing = (text === undefined || text === '') && spec.default === undefined;
  const overridden = text !== undefined && text !== '';
  const set = (v: string | null) => useRunConfig.getState().setParam(path, name, v);
  const input =
    spec.type === 'boolean' ? (
      <select value={text ?? ''} onChange={(e) => set(e.target.value || null)} aria-label={`Value of ${name}`} data-testid={`param-${name}`}>
        <option value="">default ({String(spec.default ?? 'none')})</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    ) : (
      <input
        type={spec.type === 'date' ? 'date' : 'text'}
        inputMode={spec.type === 'integer' || spec.type === 'number' ? 'decimal' : undefined}
        value={text ?? ''}
        placeholder={spec.default === undefined ? 'required' : String(spec.default)}
        onChange={(e) => set(e.target.value)}
        className={problem || missing ? 'invalid' : ''}
        aria-label={`Value of ${name}`}
        data-testid={`param-${name}`}
      />
    );
  // The description on a line of its own under the row: as a sixth column it was squeezed to a
  // word per line and cut by the panel's edge at 1024 px.
  return (
    <tbody>
      <tr className={[overridden && 'overridden', spec.description && 'has-desc'].filter(Boolean).join(' ') || undefined}>
        <td className="mono param-name">{name}</td>
        <td className="muted param-type">{spec.type}</td>
        <td className="mono muted">{spec.default === undefined ? <em>none</em> : String(spec.default)}</td>
        <td>
          {input}
          {problem && <div className="field-issue">{problem}</div>}
          {missing && <div className="field-issue">no default: give a value to run</div>}
        </td>
        <td className="actions">
          {overridden && !problem && (
            <>
              <button type="button" className="link" onClick={() => set(null)}>
                use default
              </button>
              <button type="button" className="link" onClick={() => {
                  setAsDefault(name, text);
                  set(null);
                }} title="Write this value into the pipeline file as the default (save to keep it)">
                set as default
              </button>
            </>
          )}
        </td>
      </tr>
      {spec.description && (
        <tr className="param-desc-row">
          <td colSpan={5} className="muted small param-desc">
            {spec.description}
          </td>
        </tr>
      )}
    </tbody>
  );
}

/**
 * Parameter values for runs and previews from this app. They are not written to the
 * pipeline file (a headless run passes --param instead); "set as default" does write.
 */
/** Why the next run is made (`weir run --reason`): kept in its run record; a workspace may require it. */
function RunReason(): JSX.Element {
  const reason = useRunConfig((s) => s.reason);
  return (
    <label className="run-reason pad-x small">
      Reason for the next run{' '}
      <input value={reason} maxLength={2000} onChange={(e) => useRunConfig.getState().setReason(e.target.value)} placeholder="e.g. release of lot B0042 (kept in the run record)" data-testid="run-reason" />
    </label>
  );
}

export function ParamsPanel(): JSX.Element {
  const params = useDoc((s) => s.doc?.params);
  const path = useDoc((s) => s.path);
  const texts = useRunConfig((s) => (path ? (s.params[path] ?? EMPTY) : EMPTY));
  const entries = Object.entries(params ?? {});
  if (!path) return <p className="muted pad">Open a pipeline.</p>;
  if (!entries.length) {
    return (
      <div className="params-panel" data-testid="params-panel">
        <RunReason />
        <p className="muted pad">
          This pipeline has no parameters. Add them in the pipeline&apos;s settings (click the canvas background); SQL reads one as <code>getvariable(&apos;name&apos;)</code>.
        </p>
      </div>
    );
  }
  const overrides = Object.keys(texts).filter((k) => params?.[k]).length;
  return (
    <div className="params-panel" data-testid="params-panel">
      <RunReason />
      <p className="muted small pad-x">
        Values for runs and previews from this app; the file keeps its defaults. On a server: <code data-testid="params-cli">{cliHint(path, params ?? {}, texts)}</code>
      </p>
      <table className="params-table">
        <thead>
          <tr>
            <th>parameter</th>
            <th>type</th>
            <th>default</th>
            <th>value for this run</th>
            <th />
          </tr>
        </thead>
        {entries.map(([name, spec]) => (
          <ParamRow key={name} name={name} spec={spec} text={texts[name]} path={path} />
        ))}
      </table>
      {overrides > 0 && (
        <button type="button" className="btn small reset-params" onClick={() => useRunConfig.getState().resetParams(path)}>
          Use every default
        </button>
      )}
    </div>
  );
}
