import { useMemo, useState, type JSX, type KeyboardEvent } from 'react';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { connect } from '../../shared/pipeline/doc-edits';
import type { Pipeline } from '../../shared/pipeline/schema';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';
import { useCanvasView } from './canvas-view-store';

/** The nodes `source` may be connected to: every edge `connect` would accept, by name. */
export function connectTargets(p: Pipeline, source: string): { id: string; name: string; kind: string }[] {
  return p.nodes
    .filter((n) => n.id !== source && connect(p, { source, target: n.id }).ok)
    .map((n) => ({ id: n.id, name: n.name, kind: nodeKindSpec(n.kind)?.label ?? n.kind }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Focus goes back to the card the connection started from, so the keyboard user is where they were. */
function focusCard(id: string): void {
  document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)?.focus();
}

/**
 * Connecting by keyboard: with a node selected, C opens this list of the nodes it can feed
 * (those the edge would be refused for are left out); type to filter, ↑/↓ to choose, Enter
 * to connect, Escape to close. The edge is one undo step, as a dragged one.
 */
export function ConnectPicker(): JSX.Element | null {
  const from = useCanvasView((s) => s.connectFrom);
  const doc = useDoc((s) => s.doc);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const all = useMemo(() => (doc && from ? connectTargets(doc, from) : []), [doc, from]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? all.filter((t) => t.name.toLowerCase().includes(q)) : all;
  }, [all, query]);
  const source = from ? doc?.nodes.find((n) => n.id === from) : undefined;
  if (!from || !source) return null;

  const close = () => {
    useCanvasView.getState().setConnectFrom(null);
    setQuery('');
    setActive(0);
    focusCard(from);
  };
  const pick = (target: string) => {
    const refused = useDoc.getState().tryApply((p) => connect(p, { source: from, target }));
    if (refused) useUi.getState().notify('error', refused);
    close();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (shown.length) setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const t = shown[Math.min(active, shown.length - 1)];
      if (t) pick(t.id);
    }
  };
  const current = shown[Math.min(active, shown.length - 1)];
  const optionId = (id: string) => `connect-option-${id}`;
  return (
    <div className="connect-picker" role="dialog" aria-label={`Connect ${source.name} to…`} data-testid="connect-picker">
      <label htmlFor="connect-filter">
        Connect <b>{source.name}</b> to
      </label>
      <input
        id="connect-filter"
        role="combobox"
        aria-expanded="true"
        aria-controls="connect-list"
        aria-autocomplete="list"
        aria-activedescendant={current ? optionId(current.id) : undefined}
        autoFocus
        autoComplete="off"
        spellCheck={false}
        placeholder="Type to filter"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={(e) => {
          // Leaving the list (a click elsewhere, Tab) closes it; a click on an option picks first.
          if (!e.currentTarget.parentElement?.contains(e.relatedTarget as Node | null)) {
            useCanvasView.getState().setConnectFrom(null);
            setQuery('');
            setActive(0);
          }
        }}
      />
      {shown.length ? (
        <ul id="connect-list" role="listbox" aria-label="Nodes to connect to">
          {shown.map((t) => (
            <li
              key={t.id}
              id={optionId(t.id)}
              role="option"
              aria-selected={t === current}
              className={t === current ? 'active' : undefined}
              data-node-name={t.name}
              onMouseDown={(e) => {
                e.preventDefault(); // keep the focus in the field until the pick is made
                pick(t.id);
              }}
            >
              <span className="connect-name">{t.name}</span>
              <span className="connect-kind">{t.kind}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{all.length ? 'No node by that name.' : `No node can take ${source.name} as an input.`}</p>
      )}
      <p className="connect-hint">↑ ↓ to choose · Enter to connect · Esc to close</p>
    </div>
  );
}
