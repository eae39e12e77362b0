import type { JSX } from 'react';
import type { SqlEditorProps } from './SqlEditor';

/** A textarea for SQL: what the editor falls back to if Monaco cannot load. */
export function PlainSqlEditor({ lines, onChange, tables, invalid, id, variant = 'full', ariaLabel }: SqlEditorProps): JSX.Element {
  const readOnly = variant === 'generated';
  return (
    <>
      <textarea
        id={id}
        className={`code${invalid ? ' invalid' : ''}`}
        value={lines.join('\n')}
        readOnly={readOnly}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        rows={variant === 'fragment' ? Math.min(8, Math.max(2, lines.length)) : Math.min(24, Math.max(6, lines.length + 1))}
        onChange={(e) => onChange(e.target.value.replace(/\r\n?/g, '\n').split('\n'))}
        onKeyDown={(e) => {
          // Tab indents inside SQL instead of leaving the field.
          if (!readOnly && e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            const el = e.currentTarget;
            const { selectionStart: a, selectionEnd: b, value } = el;
            onChange(`${value.slice(0, a)}  ${value.slice(b)}`.split('\n'));
            requestAnimationFrame(() => el.setSelectionRange(a + 2, a + 2));
          }
        }}
        aria-label={ariaLabel ?? 'SQL'}
      />
      {variant === 'full' && tables.length > 0 && (
        <div className="sql-tables muted">
          Reads: {tables.map((t) => <code key={t}>{t}</code>)}
        </div>
      )}
    </>
  );
}
