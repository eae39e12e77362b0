import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type JSX, type KeyboardEvent, type ReactNode } from 'react';
import { splitTabs } from './tab-split';

export interface StripTab<Id extends string> {
  id: Id;
  label: string;
}

/**
 * A strip of tabs that never overflows: tabs that do not fit go into a "More" menu at its end,
 * measured again whenever the strip is resized (a side panel collapsed, the window resized).
 * `end` is what sits at the strip's right end (the panel's close button).
 */
export function TabStrip<Id extends string>({
  tabs,
  selected,
  onPick,
  badge,
  end,
  label,
}: {
  tabs: readonly StripTab<Id>[];
  /** The tab shown selected, or null (a closed panel). */
  selected: Id | null;
  onPick(id: Id): void;
  badge(id: Id): ReactNode;
  end?: ReactNode;
  label: string;
}): JSX.Element {
  const strip = useRef<HTMLDivElement>(null);
  const measure = useRef<HTMLDivElement>(null);
  const [room, setRoom] = useState<number>(Infinity);
  const [widths, setWidths] = useState<number[]>([]);
  const [moreWidth, setMoreWidth] = useState(0);

  // The room the tabs have: the strip's width less what sits at its end.
  useLayoutEffect(() => {
    const el = strip.current;
    if (!el) return;
    const read = () => {
      const endEl = el.querySelector<HTMLElement>('.tab-strip-end');
      const style = getComputedStyle(el);
      setRoom(el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - (endEl?.offsetWidth ?? 0));
    };
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    // What sits at the end comes and goes (the close button of an open panel).
    const endEl = el.querySelector('.tab-strip-end');
    if (endEl) ro.observe(endEl);
    return () => ro.disconnect();
  }, []);

  // Each tab's natural width, read from a copy of the strip that is never shown; badges change it.
  useLayoutEffect(() => {
    const el = measure.current;
    if (!el) return;
    const read = () => {
      const items = [...el.children] as HTMLElement[];
      const next = items.slice(0, tabs.length).map((c) => c.getBoundingClientRect().width);
      setWidths((w) => (w.length === next.length && w.every((x, i) => Math.abs(x - next[i]!) < 0.5) ? w : next));
      setMoreWidth(items[tabs.length]?.getBoundingClientRect().width ?? 0);
    };
    read();
    const ro = new ResizeObserver(read);
    for (const c of el.children) ro.observe(c);
    return () => ro.disconnect();
  }, [tabs]);

  const ids = tabs.map((t) => t.id);
  const { shown, more } = widths.length === tabs.length ? splitTabs(ids, widths, room, moreWidth, selected) : { shown: ids, more: [] as Id[] };
  const byId = new Map(tabs.map((t) => [t.id, t]));

  return (
    <div className="tab-strip" ref={strip}>
      <div className="tabs" role="tablist" aria-label={label}>
        {shown.map((id) => (
          <button key={id} role="tab" type="button" aria-selected={selected === id} className={selected === id ? 'active' : ''} onClick={() => onPick(id)} data-testid={`tab-${id}`}>
            {byId.get(id)!.label}
            {badge(id)}
          </button>
        ))}
      </div>
      {more.length > 0 && <MoreMenu ids={more} byId={byId} onPick={onPick} badge={badge} />}
      <span className="tab-strip-end">{end}</span>
      {/* The measuring copy: every tab and the More button at their natural width. */}
      <div className="tabs tab-measure" ref={measure} aria-hidden="true">
        {tabs.map((t) => (
          <span key={t.id} role="presentation" className="tab-like">
            {t.label}
            {badge(t.id)}
          </span>
        ))}
        <span className="tab-like tab-more">More ▾</span>
      </div>
    </div>
  );
}

/** The More menu's width (px), as in bottom-panel.css: it is kept inside the window. */
const MENU_WIDTH = 180;

/** The tabs that do not fit, as a menu (the selected tab is never among them). */
function MoreMenu<Id extends string>({ ids, byId, onPick, badge }: { ids: Id[]; byId: Map<Id, StripTab<Id>>; onPick(id: Id): void; badge(id: Id): ReactNode }): JSX.Element {
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<CSSProperties>({});
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    box.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(box.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };
  return (
    <div className="tab-more-box" ref={box} onKeyDown={onKey}>
      <button
        ref={button}
        type="button"
        className="tab-more"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={(e) => {
          // Placed on the page: the panel clips what overflows it, and a closed panel sits at
          // the window's bottom edge, so the menu opens upwards in the lower half.
          const r = e.currentTarget.getBoundingClientRect();
          const left = Math.max(4, Math.min(r.left, window.innerWidth - MENU_WIDTH - 4));
          setPlace(r.top > window.innerHeight / 2 ? { left, bottom: window.innerHeight - r.top + 2 } : { left, top: r.bottom + 2 });
          setOpen(!open);
        }}
        data-testid="tab-more"
        title={ids.map((id) => byId.get(id)!.label).join(', ')}
      >
        More ▾
      </button>
      {open && (
        <div className="tab-menu" role="menu" aria-label="More tabs" data-testid="tab-menu" style={place}>
          {ids.map((id) => (
            <button
              key={id}
              type="button"
              role="menuitem"
              onClick={() => {
                setOpen(false);
                onPick(id);
              }}
              data-testid={`tab-menu-${id}`}
            >
              {byId.get(id)!.label}
              {badge(id)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
