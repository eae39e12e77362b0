import { Component, lazy, memo, Suspense, type JSX, type ReactNode } from 'react';
import { PlainSqlEditor } from './PlainSqlEditor';

export interface SqlEditorProps {
  /** The node whose SQL this is (completion of its inputs' columns, error markers). */
  nodeId: string;
  /** SQL as the file stores it: one string per line. */
  lines: readonly string[];
  onChange(lines: string[]): void;
  /** Names this SQL may read as tables (the node's inputs). */
  tables: readonly string[];
  invalid?: boolean;
  id?: string;
  /** Which SQL of the node (`sql`, `generated`, a field's path): one editor model each. */
  slot?: string;
  /**
   * full: a node's query (toolbar, line numbers); fragment: an expression inside a form
   * (a filter's condition); generated: the read-only SQL a low-code node generates.
   */
  variant?: 'full' | 'fragment' | 'generated';
  /** Show where the last preview or run of the node failed in this SQL. */
  diagnostics?: boolean;
  ariaLabel?: string;
}

const MonacoSqlEditor = lazy(() => import('./MonacoSqlEditor'));

/** Starts loading the editor before it is needed (once the canvas is up). */
export function preloadSqlEditor(): void {
  void import('./MonacoSqlEditor').catch(() => {});
}

/** Should Monaco fail to load, the plain editor takes its place: SQL stays editable. */
class FallbackOnError extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/**
 * The SQL editor of a node: Monaco with DuckDB highlighting, completion of the inputs and
 * their columns, error markers and Format, loaded lazily; the SQL shows as text meanwhile.
 */
export const SqlEditor = memo(function SqlEditor(props: SqlEditorProps): JSX.Element {
  const { nodeId, slot = 'sql', variant = 'full', lines } = props;
  return (
    <div className={`sql-editor sql-editor-${variant}`} data-testid="sql-editor" data-node-id={nodeId} data-slot={slot}>
      <FallbackOnError fallback={<PlainSqlEditor {...props} />}>
        <Suspense fallback={<pre className={`sql-loading sql-loading-${variant}`}>{lines.join('\n') || ' '}</pre>}>
          <MonacoSqlEditor {...props} />
        </Suspense>
      </FallbackOnError>
    </div>
  );
});
