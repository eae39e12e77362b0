import { memo, type JSX } from 'react';

export interface SqlEditorProps {
  /** The node whose SQL this is (completion of its inputs will need it). */
  nodeId: string;
  /** SQL as the file stores it: one string per line. */
  lines: readonly string[];
  onChange(lines: string[]): void;
  /** Names this SQL may read as tables (the node's inputs). */
  tables: readonly string[];
  invalid?: boolean;
  id?: string;
}

/**
 * The SQL editor of a node. A plain textarea for now; it is its own component, with the
 * props a richer editor needs (inputs for completion), so Monaco can take its place.
 */
export const SqlEditor = memo(function SqlEditor({ lines, onChange, tables, invalid, id }: SqlEditorProps): JSX.Element {
  const text = lines.join('\n');
  return (
    <div className="sql-editor">
      <textarea
        id={id}
        className={`code${invalid ? ' invalid' : ''}`}
        value={text}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        rows={Math.min(24, Math.max(6, lines.length + 1))}
        onChange={(e) => onChange(e.target.value.replace(/\r\n?/g, '\n').split('\n'))}
        onKeyDown={(e) => {
          // Tab indents inside SQL instead of leaving the field.
          if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            const el = e.currentTarget;
            const { selectionStart: a, selectionEnd: b, value } = el;
            const next = `${value.slice(0, a)}  ${value.slice(b)}`;
            onChange(next.split('\n'));
            requestAnimationFrame(() => el.setSelectionRange(a + 2, a + 2));
          }
        }}
        data-testid="sql-editor"
        aria-label="SQL"
      />
      {tables.length > 0 && (
        <div className="sql-tables muted">
          Reads: {tables.map((t) => <code key={t}>{t}</code>)}
        </div>
      )}
    </div>
  );
});
