import { useEffect, useRef, useState, type JSX } from 'react';
import { FILTER_OP_LABELS, VALUELESS_OPS, type FilterOp, type PreviewFilter } from '../../../shared/preview/query';
import { isNumericType } from './cell-format';

/** Operators offered for a column: comparisons for numbers and dates; text matches first for the rest. */
export function opsFor(type: string): FilterOp[] {
  const ordered = isNumericType(type) || /^(DATE|TIME|TIMESTAMP|INTERVAL)/i.test(type);
  return ordered
    ? ['=', '!=', '>', '>=', '<', '<=', 'is_null', 'not_null']
    : ['contains', 'starts_with', '=', '!=', '>', '>=', '<', '<=', 'is_null', 'not_null'];
}

/**
 * A column's filter, as a form (column, operator, value; never SQL): Enter or Apply adds it,
 * Escape or a click outside closes. Shown under the header it belongs to.
 */
export function FilterPopover({
  column,
  type,
  anchor,
  onApply,
  onClose,
}: {
  column: string;
  type: string;
  anchor: { left: number; top: number };
  onApply(filter: PreviewFilter): void;
  onClose(): void;
}): JSX.Element {
  const ops = opsFor(type);
  const [op, setOp] = useState<FilterOp>(ops[0]!);
  const [value, setValue] = useState('');
  const box = useRef<HTMLFormElement>(null);
  const needsValue = !VALUELESS_OPS.has(op);

  useEffect(() => {
    const away = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [onClose]);

  return (
    <form
      ref={box}
      className="grid-filter"
      role="dialog"
      aria-label={`Filter ${column}`}
      data-testid="grid-filter"
      style={{ left: anchor.left, top: anchor.top }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        if (needsValue && value === '') return;
        onApply(needsValue ? { column, op, value } : { column, op });
      }}
    >
      <div className="grid-filter-title">
        Rows where <strong className="mono">{column}</strong>
      </div>
      <div className="grid-filter-row">
        <select aria-label="operator" data-testid="grid-filter-op" value={op} onChange={(e) => setOp(e.target.value as FilterOp)}>
          {ops.map((o) => (
            <option key={o} value={o}>
              {FILTER_OP_LABELS[o]}
            </option>
          ))}
        </select>
        {needsValue && (
          <input
            aria-label="value"
            data-testid="grid-filter-value"
            autoFocus
            type="text"
            value={value}
            spellCheck={false}
            placeholder={isNumericType(type) ? 'a number' : /^(DATE|TIMESTAMP)/i.test(type) ? '2024-01-31' : 'text'}
            onChange={(e) => setValue(e.target.value)}
          />
        )}
      </div>
      <div className="grid-filter-actions">
        <button type="button" className="btn small ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn small primary" data-testid="grid-filter-apply" disabled={needsValue && value === ''}>
          Filter
        </button>
      </div>
    </form>
  );
}
