import { splitJsonPath } from '../../shared/pipeline/issue-place';
import { canvasControl } from '../canvas/canvas-control';
import { useDoc } from '../document/doc-store';
import { usePanel } from '../ui/panel-store';
import type { Problem } from './problem';

/**
 * The inspector's element for a field of a node, by the problem's path: the form marks each
 * field with `data-field` (`aggregates.0.column`, as the form names its paths), the name and
 * the inputs likewise. A field the form does not show (an item since removed, a field of the
 * node as a whole) falls back to the nearest field that holds it, else the node's settings.
 */
export function fieldElement(inspector: Element, field: string): HTMLElement | null {
  const [head, ...rest] = splitJsonPath(field);
  if (head === 'name') return inspector.querySelector<HTMLElement>('[data-field="name"]');
  if (head === 'inputs') return inspector.querySelector<HTMLElement>('[data-field="inputs"]');
  if (head === 'description') return inspector.querySelector<HTMLElement>('[data-field="description"]');
  if (head !== 'config') return null;
  for (let n = rest.length; n > 0; n--) {
    const path = rest.slice(0, n).map(String).join('.');
    const el = inspector.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"]`);
    if (el) return el;
  }
  return inspector.querySelector<HTMLElement>('[data-field="config"]');
}

const EDITABLE = 'textarea, input:not([type="hidden"]), select, [contenteditable="true"]';

/** Puts the caret in a field (Monaco's text area included; else its first button), scrolls it into view and flashes it. */
function focusIn(el: HTMLElement): void {
  el.scrollIntoView({ block: 'center' });
  // An editable control before the buttons of a list item's bar (move, remove) that come first in the page.
  const target =
    (el.matches(EDITABLE) ? el : null) ??
    el.querySelector<HTMLElement>(EDITABLE) ??
    el.querySelector<HTMLElement>('button') ??
    (el.hasAttribute('tabindex') ? el : null);
  target?.focus({ preventScroll: true });
  el.classList.remove('field-flash');
  // Restarting the animation needs a reflow between removing and adding the class.
  void el.offsetWidth;
  el.classList.add('field-flash');
}

let pending = 0;

/**
 * What a click on a problem does: selects its node (the inspector shows it), brings its card
 * into view and puts the caret in the field the problem is about. A problem about the
 * pipeline as a whole clears the selection (the pipeline's settings show); a failed check also
 * opens the Checks tab, where its failing rows are. Returns at once;
 * the field is focused once the inspector has rendered it (a lazy SQL editor takes a moment).
 */
export function revealProblem(p: Problem): void {
  const mine = ++pending;
  const doc = useDoc.getState();
  if (!p.nodeId || !doc.byId.has(p.nodeId)) {
    doc.setSelection([]);
    return;
  }
  const nodeId = p.nodeId;
  doc.setSelection([nodeId]);
  // A failed rule's failing rows are in the Checks tab: shown beside the rule's settings.
  if (p.source === 'check') usePanel.getState().show('checks');
  canvasControl()?.reveal(nodeId);
  const started = performance.now();
  const tryFocus = () => {
    if (mine !== pending) return;
    const inspector = document.querySelector(`[data-testid="inspector"][data-node-id="${CSS.escape(nodeId)}"]`);
    const el = inspector ? fieldElement(inspector, p.field) : null;
    // A SQL field shows its text until Monaco has loaded (lazily, on first use): wait for the editor.
    const waitingForEditor = el?.querySelector('[data-testid="sql-editor"]') && !el.querySelector('.monaco-editor textarea, .sql-plain textarea, textarea');
    if (el && !waitingForEditor) return focusIn(el);
    if (performance.now() - started < 10_000) requestAnimationFrame(tryFocus);
    else if (el) focusIn(el);
  };
  requestAnimationFrame(tryFocus);
}
