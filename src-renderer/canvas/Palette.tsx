import { memo, type DragEvent, type JSX } from 'react';
import { nodeKindSpecs, type NodeKindSpec } from '../../shared/nodes/registry';
import { addNode } from '../../shared/pipeline/doc-edits';
import { useDoc } from '../document/doc-store';
import { canvasControl } from './canvas-control';
import { PALETTE_MIME } from './Canvas';
import { CATEGORY_LABEL, CATEGORY_ORDER, CategoryIcon } from './kind-style';

function addAtCentre(kind: string): void {
  const store = useDoc.getState();
  if (!store.doc) return;
  const at = canvasControl()?.center() ?? { x: 0, y: 0 };
  // Nudge so that repeated adds do not stack exactly.
  const n = store.doc.nodes.length % 6;
  const { pipeline, id } = addNode(store.doc, kind, { x: at.x + n * 24, y: at.y + n * 24 });
  store.apply(() => pipeline, { select: [id] });
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
        onDoubleClick={() => addAtCentre(spec.kind)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') addAtCentre(spec.kind);
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

/** Every node kind of the registry, grouped by category; drag one onto the canvas. */
export const Palette = memo(function Palette(): JSX.Element {
  const hasDoc = useDoc((s) => s.doc !== null);
  return (
    <nav className="palette" aria-label="Node palette">
      {CATEGORY_ORDER.map((category) => {
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
      })}
    </nav>
  );
});
