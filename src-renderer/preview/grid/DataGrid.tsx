import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ClipboardEvent, type JSX, type MouseEvent, type UIEvent } from 'react';
import { useMenuDismiss } from '../../ui/use-menu-dismiss';
import type { PreviewFilter, PreviewSort } from '../../../shared/preview/query';
import { cellKind, cellText, cellTitle, copyText, isNumericType, rawText } from './cell-format';
import { columnWidths } from './column-widths';
import { FilterPopover } from './FilterPopover';
import { typeIcon } from './type-icon';
import { rowWindow } from './virtual-window';
import './grid.css';

export const ROW_HEIGHT = 24;
const HEAD_HEIGHT = 40;
const GUTTER = 52;
/** Header room beside the name: the type mark, the sort mark and the filter button. */
const HEADER_EXTRA = 46;

export interface GridColumn {
  name: string;
  type: string;
}

function Cell({ v, numeric, type }: { v: unknown; numeric: boolean; type: string }): JSX.Element {
  const kind = cellKind(v);
  const text = cellText(v, type);
  const cls = `cell k-${kind}${numeric && kind !== 'null' && kind !== 'empty' ? ' num' : ''}`;
  const title = cellTitle(v, type, text);
  if (kind === 'null') {
    return (
      <div role="gridcell" className={cls} title={title}>
        <span className="v-null">NULL</span>
      </div>
    );
  }
  if (kind === 'empty') {
    return (
      <div role="gridcell" className={cls} title={title}>
        <span className="v-empty">''</span>
      </div>
    );
  }
  // The raw value rides along for a copy; the title shows it where the text is rounded or cut.
  return (
    <div role="gridcell" className={cls} title={title} data-raw={rawText(v, type)}>
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

/** The rows and columns a selection in the grid covers, as raw values (a copy gives the unrounded numbers). */
function selectedCells(grid: HTMLElement, rows: readonly (readonly unknown[])[]): { rows: unknown[][]; columns: number[] } | null {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
  const out: unknown[][] = [];
  let columns: number[] = [];
  for (const rowEl of grid.querySelectorAll<HTMLElement>('.grid-row')) {
    if (!sel.containsNode(rowEl, true)) continue;
    const index = Number(rowEl.dataset.row);
    const cells = [...rowEl.querySelectorAll<HTMLElement>('[role="gridcell"]')];
    const picked = cells.map((c, j) => (sel.containsNode(c, true) ? j : -1)).filter((j) => j >= 0);
    if (!picked.length || !rows[index]) continue;
    if (!out.length) columns = picked;
    out.push(columns.map((j) => rows[index]![j]));
  }
  return out.length ? { rows: out, columns } : null;
}

/** Sorting and filtering, where the grid offers them (the preview: done by DuckDB over every row of the node). */
export interface GridShaping {
  sort: PreviewSort | null;
  onSort(column: string): void;
  onFilter(filter: PreviewFilter): void;
}

/** Lineage and "explain this value", where the grid offers them (the preview). */
export interface GridLineage {
  /** Show where the column comes from on the canvas. */
  onLineage(column: string): void;
  /** Trace the row's values back (the cell's column named). */
  onExplain(row: number, column: string): void;
}

/** The right-click menu of a cell: where it is, and which cell. */
interface CellMenu {
  x: number;
  y: number;
  row: number;
  column: string;
}

function CellContextMenu({ menu, lineage, onClose }: { menu: CellMenu; lineage: GridLineage; onClose(): void }): JSX.Element {
  const first = useMenuDismiss(onClose);
  const pick = (run: () => void) => () => {
    onClose();
    run();
  };
  return (
    <div className="grid-menu" role="menu" style={{ left: Math.min(menu.x, window.innerWidth - 280), top: Math.min(menu.y, window.innerHeight - 80) }} data-testid="grid-cell-menu" onPointerDown={(e) => e.stopPropagation()}>
      <button ref={first} type="button" role="menuitem" data-testid="grid-explain" onClick={pick(() => lineage.onExplain(menu.row, menu.column))}>
        Explain this value
      </button>
      <button type="button" role="menuitem" onClick={pick(() => lineage.onLineage(menu.column))}>
        Show where {menu.column} comes from
      </button>
    </div>
  );
}

/** The filter button's funnel (drawn: a font's ⏷ is missing on some systems). */
function FunnelIcon(): JSX.Element {
  return (
    <svg width="11" height="11" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" aria-hidden="true">
      <path d="M2 3h12l-4.6 5.6V13l-2.8 1.2V8.6z" />
    </svg>
  );
}

/** Lineage: two inputs joining into one column (drawn, like the funnel). */
function LineageIcon(): JSX.Element {
  return (
    <svg width="12" height="11" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
      <circle cx="3" cy="3.5" r="1.8" />
      <circle cx="3" cy="12.5" r="1.8" />
      <circle cx="13" cy="8" r="1.8" />
      <path d="M4.8 3.5h2.2l3.6 4.5M4.8 12.5h2.2l3.6-4.5" />
    </svg>
  );
}

function SortMark({ sort, column }: { sort: PreviewSort | null; column: string }): JSX.Element | null {
  if (sort?.column !== column) return null;
  return (
    <span className="sort-mark" aria-hidden="true">
      {sort.descending ? '▼' : '▲'}
    </span>
  );
}

/**
 * A virtualized grid: every column, but only the rows in view (plus a few) are in the page,
 * so a thousand-row preview scrolls as lightly as ten. The header stays put; widths come
 * from the names, types and first values. Numbers show formatted by type, their raw values on
 * hover and in a copy. With `shaping`, a header click sorts and its funnel filters.
 */
export function DataGrid({
  columns,
  rows,
  testId = 'preview-grid',
  shaping,
  lineage,
  label = 'Rows',
}: {
  columns: readonly GridColumn[];
  rows: readonly (readonly unknown[])[];
  testId?: string;
  shaping?: GridShaping;
  lineage?: GridLineage;
  /** The grid's accessible name (what a screen reader says when the keyboard reaches it). */
  label?: string;
}): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [filtering, setFiltering] = useState<{ column: GridColumn; left: number; top: number } | null>(null);
  const frame = useRef(0);
  const [menu, setMenu] = useState<CellMenu | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);

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

  const shaped = !!shaping;
  const traced = !!lineage;
  const widths = useMemo(() => columnWidths(columns, rows, shaped ? { headerExtraPx: HEADER_EXTRA + (traced ? 18 : 0) } : {}), [columns, rows, shaped, traced]);
  const numeric = useMemo(() => columns.map((c) => isNumericType(c.type)), [columns]);
  const types = useMemo(() => columns.map((c) => c.type), [columns]);
  const template = useMemo(() => `${GUTTER}px ${widths.map((w) => `${w}px`).join(' ')}`, [widths]);
  const width = GUTTER + widths.reduce((a, b) => a + b, 0);
  const win = rowWindow({ scrollTop, viewportHeight: Math.max(0, height - HEAD_HEIGHT), rowHeight: ROW_HEIGHT, rowCount: rows.length });
  const closeFilter = useCallback(() => setFiltering(null), []);

  const onCopy = (e: ClipboardEvent<HTMLDivElement>) => {
    const picked = selectedCells(e.currentTarget, rows);
    if (!picked) return;
    e.clipboardData.setData('text/plain', copyText(picked.rows, picked.columns.map((j) => types[j] ?? '')));
    e.preventDefault();
  };

  // Right-click a cell: its row (data-row) and column (its place among the row's cells).
  const onContextMenu = (e: MouseEvent<HTMLDivElement>) => {
    if (!lineage) return;
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[role="gridcell"]');
    const rowEl = cell?.closest<HTMLElement>('.grid-row');
    if (!cell || !rowEl) return;
    const j = [...rowEl.querySelectorAll('[role="gridcell"]')].indexOf(cell);
    const column = columns[j];
    if (!column) return;
    e.preventDefault();
    setMenu({ x: e.clientX, y: e.clientY, row: Number(rowEl.dataset.row), column: column.name });
  };

  const visible: JSX.Element[] = [];
  for (let i = win.start; i < win.end; i++) visible.push(<Row key={i} row={rows[i]!} index={i} numeric={numeric} types={types} template={template} />);

  return (
    <div className="grid" data-testid={testId} data-rows={rows.length} data-copy="cells" onCopy={onCopy} onContextMenu={onContextMenu}>
      {/* The grid is its scroll area, and takes the focus: the arrow keys and Page Up/Down
          scroll it from the keyboard (a scroll area nothing inside can focus is out of reach). */}
      <div
        className="grid-scroll"
        ref={scroller}
        onScroll={onScroll}
        role="grid"
        tabIndex={0}
        aria-label={label}
        aria-rowcount={rows.length + 1}
        aria-colcount={columns.length}
        data-testid={`${testId}-scroll`}
      >
        <div className="grid-inner" style={{ width }}>
          <div role="row" className="grid-head" aria-rowindex={1} style={{ gridTemplateColumns: template, height: HEAD_HEIGHT }}>
            <div className="cell gutter" aria-hidden="true">
              #
            </div>
            {columns.map((c, j) => {
              const icon = typeIcon(c.type);
              const sorted = shaping?.sort?.column === c.name ? (shaping.sort.descending ? 'descending' : 'ascending') : undefined;
              return (
                <div
                  role="columnheader"
                  key={`${c.name}-${j}`}
                  className={`cell${numeric[j] ? ' num' : ''}`}
                  data-testid="grid-header"
                  data-type-kind={icon.kind}
                  aria-sort={shaping ? (sorted ?? 'none') : undefined}
                  title={`${c.name} ${c.type}`}
                >
                  <div className="col-line">
                    <span className="col-icon" aria-hidden="true" title={`${icon.kind}: ${c.type}`}>
                      {icon.glyph}
                    </span>
                    {shaping ? (
                      <button
                        type="button"
                        className="col-sort"
                        data-testid="grid-sort"
                        title={sorted === 'ascending' ? `Sorted by ${c.name}, ascending: click for descending` : sorted === 'descending' ? `Sorted by ${c.name}, descending: click to unsort` : `Sort by ${c.name} (every row, in DuckDB)`}
                        onClick={() => shaping.onSort(c.name)}
                      >
                        <span className="col-name">{c.name}</span>
                        <SortMark sort={shaping.sort} column={c.name} />
                      </button>
                    ) : (
                      <span className="col-name">{c.name}</span>
                    )}
                    {lineage && (
                      <button
                        type="button"
                        className="col-lineage-btn icon-btn"
                        data-testid="grid-lineage-button"
                        aria-label={`Where ${c.name} comes from`}
                        title={`Where ${c.name} comes from: highlight its lineage on the canvas`}
                        onClick={() => lineage.onLineage(c.name)}
                      >
                        <LineageIcon />
                      </button>
                    )}
                    {shaping && (
                      <button
                        type="button"
                        className="col-filter-btn icon-btn"
                        data-testid="grid-filter-button"
                        aria-label={`Filter by ${c.name}`}
                        title={`Filter by ${c.name}`}
                        onClick={(e) => {
                          const r = e.currentTarget.getBoundingClientRect();
                          setFiltering({ column: c, left: Math.max(8, Math.min(r.left - 180, window.innerWidth - 280)), top: r.bottom + 4 });
                        }}
                      >
                        <FunnelIcon />
                      </button>
                    )}
                  </div>
                  <span className="col-type">{c.type}</span>
                </div>
              );
            })}
          </div>
          <div className="grid-body" style={{ height: win.total }}>
            <div className="grid-window" style={{ transform: `translateY(${win.offset}px)` }}>
              {visible}
            </div>
          </div>
        </div>
      </div>
      {menu && lineage && <CellContextMenu menu={menu} lineage={lineage} onClose={closeMenu} />}
      {filtering && shaping && (
        <FilterPopover
          column={filtering.column.name}
          type={filtering.column.type}
          anchor={filtering}
          onClose={closeFilter}
          onApply={(f) => {
            setFiltering(null);
            shaping.onFilter(f);
          }}
        />
      )}
    </div>
  );
}
