import { memo, useMemo, useRef, useState, type DragEvent, type JSX } from 'react';
import { nodeKindSpecs, type NodeKindSpec } from '../../shared/nodes/registry';
import { addNode } from '../../shared/pipeline/doc-edits';
import { useDoc } from '../document/doc-store';
import { canvasControl } from './canvas-control';
import { CARD_HEIGHT, CARD_WIDTH } from './auto-layout';
import { positionOf } from './flow-mapping';
import { pasteOffset } from './paste-place';
import { PALETTE_MIME } from './Canvas';
import { CATEGORY_LABEL, CATEGORY_ORDER, CategoryIcon } from './kind-style';
import { filterKinds } from './palette-filter';
import { addFrameAroundSelection, addNoteAt } from './annotation-actions';
import './palette.css';

/** Adds a node of a kind at `at` (a flow position), or the canvas's centre; selects it. */
export function addKindAt(kind: string, at?: { x: number; y: number }): void {
  const store = useDoc.getState();
  if (!store.doc) return;
  const doc = store.doc;
  // Dropped: where the pointer let go. Added by double-click or Enter: the middle of the view,
  // or below it as far as needed to cover no card (it landed on the card in the middle).
  let place = at;
  if (!place) {
    const centre = canvasControl()?.center() ?? { x: 0, y: 0 };
    const offset = pasteOffset({ copied: [centre], occupied: doc.nodes.map((n, i) => positionOf(doc, n, i)), originalsInPlace: false, viewCentre: { x: centre.x + CARD_WIDTH / 2, y: centre.y + CARD_HEIGHT / 2 } });
    place = { x: centre.x + offset.x, y: centre.y + offset.y };
  }
  const { pipeline, id } = addNode(doc, kind, place);
  store.apply(() => pipeline, { select: [id] });
  canvasControl()?.show([id]);
}

function Item({ spec, disabled }: { spec: NodeKindSpec; disabled: boolean }): JSX.Element {
  const onDragStart = (e: DragEvent) => {
    e.dataTransfer.setData(PALETTE_MIME, spec.kind);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <li>
      <button
        type="button"
        className={`palette-item cat-${spec.category}`}
        draggable={!disabled}
        disabled={disabled}
        onDragStart={onDragStart}
        onDoubleClick={() => addKindAt(spec.kind)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') addKindAt(spec.kind);
        }}
        title={`${spec.summary}\nDrag onto the canvas, or double-click / Enter to add.`}
        data-testid={`palette-${spec.kind}`}
      >
        <CategoryIcon category={spec.category} />
        <span>{spec.label}</span>
      </button>
    </li>
  );
}

const categoryLabel = (c: NodeKindSpec['category']) => CATEGORY_LABEL[c];

/**
 * Every node kind of the registry, grouped by category; drag one onto the canvas. The box on
 * top filters them (label, kind name, category, description), best match first; Enter adds
 * the first match, Escape clears the box.
 */
export const Palette = memo(function Palette(): JSX.Element {
  const hasDoc = useDoc((s) => s.doc !== null);
  const [query, setQuery] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => (query.trim() ? filterKinds(nodeKindSpecs, query, categoryLabel) : null), [query]);
  return (
    <nav className="palette" aria-label="Node palette">
      <div className="palette-filter">
        <input
          ref={input}
          type="search"
          value={query}
          placeholder="Filter nodes…"
          aria-label="Filter node kinds"
          aria-describedby="palette-filter-hint"
          data-testid="palette-search"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && matches?.[0] && hasDoc) {
              e.preventDefault();
              addKindAt(matches[0].kind);
            } else if (e.key === 'Escape' && query) {
              // the box's own: the canvas's Escape (clear the selection) is not meant
              e.preventDefault();
              e.stopPropagation();
              setQuery('');
            }
          }}
        />
        <span id="palette-filter-hint" className="hint">
          Enter adds the first match; Escape clears.
        </span>
      </div>
      {matches ? (
        <section aria-live="polite">
          <h3>{matches.length ? `${matches.length} match${matches.length === 1 ? '' : 'es'}` : 'No node kind matches'}</h3>
          <ul data-testid="palette-matches">
            {matches.map((s) => (
              <Item key={s.kind} spec={s} disabled={!hasDoc} />
            ))}
          </ul>
        </section>
      ) : (
        CATEGORY_ORDER.map((category) => {
          const specs = nodeKindSpecs.filter((s) => s.category === category);
          if (!specs.length) return null;
          return (
            <section key={category}>
              <h3>{CATEGORY_LABEL[category]}</h3>
              <ul>
                {specs.map((s) => (
                  <Item key={s.kind} spec={s} disabled={!hasDoc} />
                ))}
              </ul>
            </section>
          );
        })
      )}
      {!matches && (
        <section>
          <h3>Annotations</h3>
          <ul>
            <li>
              <button type="button" className="palette-item" disabled={!hasDoc} onClick={() => addNoteAt()} title="A sticky note in the middle of the view (kept in the file's layout: no effect on results)" data-testid="palette-add-note">
                <span className="annotation-icon note-yellow" aria-hidden="true" />
                <span>Sticky note</span>
              </button>
            </li>
            <li>
              <button type="button" className="palette-item" disabled={!hasDoc} onClick={() => addFrameAroundSelection()} title="A named frame around the selected nodes; moving it moves what is inside" data-testid="palette-add-frame">
                <span className="annotation-icon frame note-blue" aria-hidden="true" />
                <span>Frame</span>
              </button>
            </li>
          </ul>
        </section>
      )}
    </nav>
  );
});
