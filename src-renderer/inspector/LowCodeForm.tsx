import { useCallback, useMemo, type JSX } from 'react';
import { issueText, lowCodeFieldHints, lowCodeSql, type LowCodeKind } from '../../shared/nodes/lowcode';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { useDoc } from '../document/doc-store';
import { convertToSql } from './convert-to-sql';
import { useInputSchemas } from '../sql/sql-assist-store';
import { useColumnIssues } from '../problems/use-problems';
import { ConfigForm } from './ConfigForm';
import { KeyPairSuggestions } from './KeyPairSuggestions';
import type { NodeFormProps } from './forms';
import { formFor, issuesByPath } from './schema-form';
import { SqlEditor } from '../sql/SqlEditor';

const noChange = () => {};

/**
 * A low-code node's form (generated from its schema, with column pickers fed by the input
 * schemas) and, under it, the SQL it generates, updated as the form changes; Convert to
 * SQL node hands that SQL over to a SQL node.
 */
export function LowCodeForm({ nodeId, config, onChange, inputs }: NodeFormProps): JSX.Element | null {
  const kind = useDoc((s) => s.byId.get(nodeId)?.kind) as LowCodeKind | undefined;
  const spec = kind ? nodeKindSpec(kind) : undefined;
  const schemas = useInputSchemas(nodeId);
  const inputKey = inputs.join('\0');
  // The inspector passes a new array on each render: keep one per list of names.
  const names = useMemo(() => inputKey.split('\0').filter(Boolean), [inputKey]);
  const columnIssues = useColumnIssues(nodeId);
  const issues = useMemo(() => {
    const own = spec ? issuesByPath(spec.config, config) : new Map<string, string[]>();
    // Columns the inputs do not have (problems/column-problems.ts), under their fields too.
    for (const [path, messages] of columnIssues) own.set(path, [...(own.get(path) ?? []), ...messages]);
    return own;
  }, [spec, config, columnIssues]);
  const result = useMemo(() => (kind ? lowCodeSql(kind, config, names) : null), [kind, config, names]);
  const columnsOf = useCallback(
    (i: number) => {
      const name = names[i];
      const input = name ? schemas?.inputs.find((s) => s.name.toLowerCase() === name.toLowerCase()) : undefined;
      return input && !input.error ? input.columns : null;
    },
    [names, schemas],
  );
  if (!kind || !spec || !result) return null;
  return (
    <>
      <ConfigForm
        spec={formFor(spec.config)}
        schema={spec.config}
        value={config}
        onChange={onChange}
        ctx={{ nodeId, issues, tables: names, hints: lowCodeFieldHints[kind], columnsOf, describedLabels: true }}
      />
      {spec.form?.keyPairs && (
        <KeyPairSuggestions
          nodeId={nodeId}
          listPath={spec.form.keyPairs}
          config={config}
          onChange={onChange}
          columnsOf={columnsOf}
          required={issues.has(spec.form.keyPairs)}
        />
      )}
      <section className="lowcode-sql" data-testid="lowcode-sql">
        <div className="lowcode-sql-head">
          <h4 className="section-title">Generated SQL</h4>
          <span className="spacer" />
          <button
            type="button"
            className="btn small"
            data-testid="convert-to-sql"
            disabled={!result.ok}
            title={result.ok ? 'Replace this node by a SQL node holding this SQL (same name, inputs and place)' : 'Complete the form first'}
            onClick={() => convertToSql(nodeId)}
          >
            Convert to SQL node
          </button>
        </div>
        {result.ok ? (
          <SqlEditor nodeId={nodeId} slot="generated" variant="generated" diagnostics lines={result.sql} onChange={noChange} tables={names} />
        ) : (
          <div className="lowcode-issues" data-testid="lowcode-issues">
            The SQL shows once the form is complete:
            <ul>
              {result.issues.slice(0, 5).map((i) => (
                <li key={issueText(i)}>{issueText(i)}</li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </>
  );
}
