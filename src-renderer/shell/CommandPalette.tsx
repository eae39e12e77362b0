import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { useDoc } from '../document/doc-store';
import { canvasControl } from '../canvas/canvas-control';
import { addKindAt } from '../canvas/Palette';
import { addFrameAroundSelection, addNoteAt } from '../canvas/annotation-actions';
import { useCanvasView } from '../canvas/canvas-view-store';
import { cancelRun } from './commands';
import { SHORTCUTS, keyOf, shortcutLabel } from './shortcuts';
import { usePanel, type PanelTab } from '../ui/panel-store';
import { useUi } from '../ui/ui-store';
import { commandItems, rankItems, type CommandItem } from './command-items';
import { useCommandPalette } from './command-palette-store';
import './command-palette.css';

interface Command {
  label: string;
  keys?: string;
  run(): void;
}

const showTab = (tab: PanelTab) => () => usePanel.getState().show(tab);

/** What the palette offers besides the nodes and kinds: every keyboard command, and a few without a key. */
function commands(): Command[] {
  const own: Command[] = [
    { label: 'Add a sticky note', run: () => void addNoteAt(useCommandPalette.getState().addAt ?? undefined) },
    { label: 'Add a frame around the selected nodes', run: () => void addFrameAroundSelection() },
    { label: 'Cancel the run', run: () => void cancelRun() },
    { label: 'Show the preview', run: showTab('preview') },
    { label: 'Show the check results', run: showTab('checks') },
    { label: 'Show the run log', run: showTab('log') },
    { label: 'Show the run history', run: showTab('history') },
    { label: 'Show the parameters', run: showTab('params') },
    { label: 'Show the connections', run: showTab('connections') },
    { label: 'Show the changes (git)', run: showTab('changes') },
  ];
  // Escape and the palette's own key mean nothing from inside it.
  const keyed = SHORTCUTS.filter((s) => s.keys !== 'mod+k' && s.keys !== 'escape').map((s) => ({ label: s.label, keys: s.keys, run: s.run }));
  return [...keyed, ...own];
}

/** Selects a node and centres the canvas on it. */
function goToNode(id: string): void {
  useDoc.getState().setSelection([id]);
  useCanvasView.getState().setSelectedAnnotations([]);
  canvasControl()?.reveal(id);
}

/**
 * Ctrl/Cmd+K: a list to jump to a node by name, run a command, or add a node (where the pointer
 * was over the canvas, else the middle of the view), filtered as one types (fuzzy). Keyboard
 * only: arrows move, Enter runs, Escape closes; the input keeps the focus and names the active
 * row (aria-activedescendant).
 */
export function CommandPalette(): JSX.Element | null {
  const open = useCommandPalette((s) => s.open);
  // Taken in the capture phase, before Monaco (whose Ctrl+K starts a chord) or a field sees it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyOf(e) !== 'mod+k') return;
      e.preventDefault();
      e.stopPropagation();
      const { open: isOpen, setOpen } = useCommandPalette.getState();
      if (!isOpen && useUi.getState().dialog) return;
      setOpen(!isOpen);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return open ? <PaletteDialog /> : null;
}

function PaletteDialog(): JSX.Element {
  const doc = useDoc((s) => s.doc);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const cmds = useMemo(commands, []);
  const items = useMemo(() => commandItems(doc, cmds, shortcutLabel), [doc, cmds]);
  const shown = useMemo(() => rankItems(items, query), [items, query]);
  const current = shown[Math.min(active, shown.length - 1)];

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    input.current?.focus();
    return () => {
      // back where the user was, unless the chosen action moved the focus on purpose
      if (document.activeElement === document.body || !document.activeElement) before?.focus?.();
    };
  }, []);
  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    if (current) document.getElementById(optionId(current))?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const close = () => useCommandPalette.getState().setOpen(false);
  const choose = (item: CommandItem | undefined) => {
    if (!item) return;
    const addAt = useCommandPalette.getState().addAt;
    close();
    if (item.group === 'node') goToNode(item.key.slice('node:'.length));
    else if (item.group === 'add') addKindAt(item.key.slice('add:'.length), addAt ?? undefined);
    else cmds[Number(item.key.slice('cmd:'.length))]?.run();
  };

  return (
    <div className="cmdk-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="cmdk" role="dialog" aria-modal="true" aria-label="Command palette" data-testid="command-palette">
        <input
          ref={input}
          className="cmdk-input"
          role="combobox"
          aria-expanded="true"
          aria-controls="cmdk-list"
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(current) : undefined}
          aria-label="Go to a node, run a command, or add a node"
          placeholder="Go to a node, run a command, add a node…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const n = shown.length;
              if (n) setActive((a) => (Math.min(a, n - 1) + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
            } else if (e.key === 'Home' || e.key === 'End') {
              e.preventDefault();
              setActive(e.key === 'Home' ? 0 : Math.max(0, shown.length - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(current);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close();
            }
          }}
          data-testid="command-input"
        />
        <ul id="cmdk-list" ref={list} className="cmdk-list" role="listbox" aria-label="Matches">
          {shown.map((item) => (
            <li
              key={item.key}
              id={optionId(item)}
              role="option"
              aria-selected={item === current}
              className={`cmdk-item group-${item.group}${item === current ? ' active' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(item)}
              data-testid="command-item"
            >
              <span className="cmdk-group">{GROUP_LABEL[item.group]}</span>
              <span className="cmdk-label">{item.label}</span>
              {item.hint && <span className="cmdk-hint">{item.hint}</span>}
            </li>
          ))}
          {!shown.length && <li className="cmdk-none">Nothing matches “{query}”.</li>}
        </ul>
      </div>
    </div>
  );
}

const GROUP_LABEL: Record<CommandItem['group'], string> = { node: 'Node', command: 'Command', add: 'Add' };

/** An element id for a row (ids of nodes may hold characters an id selector would need escaped; this one is only looked up by id). */
const optionId = (item: CommandItem) => `cmdk-${item.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
