import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type JSX, type UIEvent } from 'react';
import { cellKind, cellText, isNumericType } from './cell-format';
import { columnWidths } from './column-widths';
import { rowWindow } from './virtual-window';
import './grid.css';

export const ROW_HEIGHT = 24;
const HEAD_HEIGHT = 40;
const GUTTER = 52;

export interface GridColumn {
  name: string;
  type: string;
}

function Cell({ v, numeric, type }: { v: unknown; numeric: boolean; type: string }): JSX.Element {
  const kind = cellKind(v);
  const text = cellText(v, type);
  const cls = `cell k-${kind}${numeric && kind !== 'null' && kind !== 'empty' ? ' num' : ''}`;
  if (kind === 'null') {
    return (
      <div role="gridcell" className={cls} title="NULL (no value)">
        <span className="v-null">NULL</span>
      </div>
    );
  }
  if (kind === 'empty') {
    return (
      <div role="gridcell" className={cls} title="empty string">
        <span className="v-empty">''</span>
      </div>
    );
  }
  return (
    <div role="gridcell" className={cls} title={text.length > 24 ? text : undefined}>
      {text}
    </div>
  );
}

const Row = memo(function Row({ row, index, numeric, types, template }: { row: readonly unknown[]; index: number; numeric: readonly boolean[]; types: readonly string[]; template: string }): JSX.Element {
  return (
    <div role="row" className={`grid-row${index % 2 ? ' odd' : ''}`} aria-rowindex={index + 2} data-row={index} style={{ gridTemplateColumns: template, height: ROW_HEIGHT }}>
      <div className="cell gutter" aria-hidden="true">
        {index + 1}
      </div>
      {numeric.map((isNum, j) => (
        <Cell key={j} v={row[j]} numeric={isNum} type={types[j] ?? ''} />
      ))}
    </div>
  );
});

/**
 * A virtualized grid: every column, but only the rows in view (plus a few) are in the page,
 * so a thousand-row preview scrolls as lightly as ten. The header stays put; widths come
 * from the names, types and first values.
 */
export function DataGrid({ columns, rows, testId = 'preview-grid' }: { columns: readonly GridColumn[]; rows: readonly (readonly unknown[])[]; testId?: string }): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame.current);
    };
  }, []);

  // One state update per frame however many scroll events arrive.
  const onScroll = useCallback((e: UIEvent<HTMLDivElement>) => {
    const top = e.currentTarget.scrollTop;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(top));
  }, []);

  const widths = useMemo(() => columnWidths(columns, rows), [columns, rows]);
  const numeric = useMemo(() => columns.map((c) => isNumericType(c.type)), [columns]);
  const types = useMemo(() => columns.map((c) => c.type), [columns]);
  const template = useMemo(() => `${GUTTER}px ${widths.map((w) => `${w}px`).join(' ')}`, [widths]);
  const width = GUTTER + widths.reduce((a, b) => a + b, 0);
  const win = rowWindow({ scrollTop, viewportHeight: Math.max(0, height - HEAD_HEIGHT), rowHeight: ROW_HEIGHT, rowCount: rows.length });

  const visible: JSX.Element[] = [];
  for (let i = win.start; i < win.end; i++) visible.push(<Row key={i} row={rows[i]!} index={i} numeric={numeric} types={types} template={template} />);

  return (
    <div className="grid" role="grid" aria-rowcount={rows.length + 1} aria-colcount={columns.length} data-testid={testId} data-rows={rows.length}>
      <div className="grid-scroll" ref={scroller} onScroll={onScroll}>
        <div className="grid-inner" style={{ width }}>
          <div role="row" className="grid-head" aria-rowindex={1} style={{ gridTemplateColumns: template, height: HEAD_HEIGHT }}>
            <div className="cell gutter" aria-hidden="true">
              #
            </div>
            {columns.map((c, j) => (
              <div role="columnheader" key={`${c.name}-${j}`} className={`cell${numeric[j] ? ' num' : ''}`} data-testid="grid-header" title={`${c.name} ${c.type}`}>
                <span className="col-name">{c.name}</span>
                <span className="col-type">{c.type}</span>
              </div>
            ))}
          </div>
          <div className="grid-body" style={{ height: win.total }}>
            <div className="grid-window" style={{ transform: `translateY(${win.offset}px)` }}>
              {visible}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
