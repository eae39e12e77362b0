import { useEffect, useState, type JSX } from 'react';
import { identifier } from '../../shared/nodes/common';
import { paramType, type ParamSpec, type Pipeline } from '../../shared/pipeline/schema';
import { ProblemsList } from '../problems/ProblemsList';
import { useProblems } from '../problems/use-problems';
import { useDoc } from '../document/doc-store';

const apply = (fn: (p: Pipeline) => Pipeline, coalesce?: string) => useDoc.getState().apply(fn, { coalesce });

function PipelineName({ name }: { name: string }): JSX.Element {
  const [text, setText] = useState(name);
  useEffect(() => setText(name), [name]);
  const ok = identifier.safeParse(text);
  const commit = () => {
    if (text !== name && ok.success) apply((p) => ({ ...p, name: text }));
  };
  return (
    <div className="field">
      <div className="field-label">
        <label htmlFor="pipeline-name">Pipeline name</label>
      </div>
      <input id="pipeline-name" type="text" value={text} className={ok.success ? '' : 'invalid'} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      {!ok.success && <div className="field-issue">{ok.error.issues[0]?.message}</div>}
    </div>
  );
}

function defaultText(p: ParamSpec): string {
  return p.default === undefined ? '' : String(p.default);
}

function parseDefault(type: ParamSpec['type'], text: string): ParamSpec['default'] {
  if (text === '') return undefined;
  if (type === 'integer' || type === 'number') return Number.isFinite(Number(text)) ? Number(text) : text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/** Run parameters: SQL reads them as getvariable('name'). */
function Params({ params }: { params: Pipeline['params'] }): JSX.Element {
  const entries = Object.entries(params);
  const setParam = (name: string, spec: ParamSpec | null, newName?: string) =>
    apply((p) => {
      const next: Pipeline['params'] = {};
      for (const [k, v] of Object.entries(p.params)) {
        if (k !== name) next[k] = v;
        else if (spec) next[newName ?? k] = spec;
      }
      return { ...p, params: next };
    }, `param:${name}`);
  const add = () =>
    apply((p) => {
      let i = 1;
      while (p.params[`param_${i}`]) i++;
      return { ...p, params: { ...p.params, [`param_${i}`]: { type: 'string' } } };
    });
  return (
    <div className="params">
      {entries.length === 0 && <p className="muted small">No parameters. SQL reads a parameter as <code>getvariable('name')</code>.</p>}
      {entries.map(([name, spec]) => (
        <div className="param-row" key={name}>
          <input
            className="param-name"
            aria-label="Parameter name"
            title={name}
            defaultValue={name}
            onBlur={(e) => {
              const v = e.target.value;
              if (v !== name && identifier.safeParse(v).success && !params[v]) setParam(name, spec, v);
              else e.target.value = name;
            }}
          />
          <select className="param-type" aria-label="Type" value={spec.type} onChange={(e) => setParam(name, { ...spec, type: e.target.value as ParamSpec['type'] })}>
            {paramType.options.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <input
            className="param-default"
            aria-label="Default"
            placeholder="default"
            value={defaultText(spec)}
            onChange={(e) => {
              const d = parseDefault(spec.type, e.target.value);
              const { default: _old, ...rest } = spec;
              void _old;
              setParam(name, d === undefined ? rest : { ...rest, default: d });
            }}
          />
          <button type="button" className="icon-btn param-remove" aria-label={`Remove parameter ${name}`} onClick={() => setParam(name, null)}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="btn small" onClick={add}>
        Add parameter
      </button>
    </div>
  );
}

export function PipelineInspector(): JSX.Element | null {
  const doc = useDoc((s) => s.doc);
  const issues = useProblems().length;
  const path = useDoc((s) => s.path);
  if (!doc) return null;
  return (
    <div className="inspector-pipeline">
      <header className="inspector-head">
        <div>
          <div className="inspector-kind">Pipeline</div>
          <div className="muted small">{path}</div>
        </div>
      </header>
      <PipelineName name={doc.name} />
      <div className="field">
        <div className="field-label">
          <label htmlFor="pipeline-description">Description</label>
        </div>
        <textarea id="pipeline-description" rows={3} value={doc.description ?? ''} onChange={(e) => apply((p) => ({ ...p, description: e.target.value || undefined }), 'pipeline-description')} />
      </div>
      <h4 className="section-title">Parameters</h4>
      <Params params={doc.params} />
      <h4 className="section-title">Problems</h4>
      {issues > 0 ? (
        <ProblemsList testId="pipeline-issues" />
      ) : doc.nodes.length === 0 ? (
        <p className="muted small" data-testid="pipeline-empty">
          None yet, and nothing to run either: drag a source from the palette onto the canvas.
        </p>
      ) : (
        <p className="muted small">None: this pipeline is ready to run.</p>
      )}
      <p className="muted small pad-top">Select a node to edit it. {doc.nodes.length} nodes.</p>
    </div>
  );
}
