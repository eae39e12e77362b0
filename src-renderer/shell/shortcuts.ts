import { useEffect } from 'react';
import { useDoc } from '../document/doc-store';
import { copySelection, cutSelection, deleteSelection, duplicateSelection, fitView, layout, paste, selectAll, startConnect } from '../canvas/edit-actions';
import { redo, undo } from '../document/undo-redo';
import { preview, run, save } from './commands';
import { useLayout } from '../ui/layout-store';
import { usePanel } from '../ui/panel-store';
import { useUi } from '../ui/ui-store';
import { clearLineage, closeExplain } from '../lineage/lineage-actions';
import { useLineage } from '../lineage/lineage-store';
import { useCanvasView } from '../canvas/canvas-view-store';
import { openCommandPalette } from './command-palette-store';
import { keyOf } from '../ui/keys';

export { keyOf, shortcutLabel } from '../ui/keys';

/** Escape takes off what is on show over the canvas first (lineage marks, an explanation), then the selection. */
function onEscape(): void {
  const l = useLineage.getState();
  if (l.target || l.explain) {
    clearLineage();
    closeExplain();
    return;
  }
  useDoc.getState().setSelection([], []);
  useCanvasView.getState().setSelectedAnnotations([]);
}

export interface Shortcut {
  keys: string;
  label: string;
  /** Also while typing in a field. */
  global?: boolean;
  run(): void;
}

/** `mod` is Ctrl, or ⌘ on macOS. */
export const SHORTCUTS: Shortcut[] = [
  { keys: 'mod+s', label: 'Save', global: true, run: () => void save() },
  { keys: 'mod+shift+s', label: 'Save as…', global: true, run: () => useUi.getState().openDialog('saveAs') },
  { keys: 'mod+o', label: 'Open workspace…', global: true, run: () => useUi.getState().openDialog('openWorkspace') },
  { keys: 'mod+alt+n', label: 'New pipeline…', global: true, run: () => useUi.getState().openDialog('newPipeline') },
  { keys: 'mod+enter', label: 'Run the pipeline', global: true, run: () => void run() },
  { keys: 'mod+p', label: 'Preview the selected node', global: true, run: () => void preview() },
  { keys: 'mod+z', label: 'Undo', run: undo },
  { keys: 'mod+shift+z', label: 'Redo', run: redo },
  { keys: 'mod+y', label: 'Redo', run: redo },
  { keys: 'mod+a', label: 'Select all nodes', run: selectAll },
  { keys: 'mod+d', label: 'Duplicate selection', run: duplicateSelection },
  { keys: 'delete', label: 'Delete selection', run: deleteSelection },
  { keys: 'backspace', label: 'Delete selection', run: deleteSelection },
  { keys: 'c', label: 'Connect the selected node to… (pick from a list)', run: startConnect },
  { keys: 'mod+shift+l', label: 'Auto-layout', run: layout },
  { keys: 'shift+1', label: 'Zoom to fit', run: fitView },
  { keys: 'mod+0', label: 'Zoom to fit', run: fitView },
  { keys: 'mod+shift+d', label: 'Light / dark theme', global: true, run: () => useUi.getState().toggleTheme() },
  { keys: 'mod+b', label: 'Show / hide the sidebar', run: () => useLayout.getState().toggle('sidebar') },
  { keys: 'mod+alt+b', label: 'Show / hide the inspector', run: () => useLayout.getState().toggle('inspector') },
  { keys: 'mod+j', label: 'Show / hide the bottom panel', run: () => usePanel.getState().toggleOpen() },
  // Taken before Monaco sees it (its own Ctrl+K starts a chord): see CommandPalette.tsx.
  { keys: 'mod+k', label: 'Command palette: go to a node, run a command, add a node', global: true, run: openCommandPalette },
  { keys: 'shift+?', label: 'Keyboard shortcuts', run: () => useUi.getState().openDialog('shortcuts') },
  { keys: 'escape', label: 'Clear the lineage marks, else the selection', run: onEscape },
];

function editable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/**
 * Text selected inside an element marked `data-copy` (the preview grid): Ctrl+C and Ctrl+X
 * are then about that text, not the canvas's selected nodes (which a cut would delete).
 */
function copiesItsOwn(): boolean {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || !sel.anchorNode) return false;
  const at = sel.anchorNode instanceof Element ? sel.anchorNode : sel.anchorNode.parentElement;
  return !!at?.closest('[data-copy]');
}

/**
 * The keyboard, the same in both shells (the desktop menu shows these keys without taking
 * them). Canvas keys are ignored while typing, so text fields keep their own undo and copy.
 */
export function useShortcuts(): void {
  useEffect(() => {
    let handledPasteAt = 0;
    let copied: { text: string | null; at: number } = { text: null, at: 0 };
    const onKey = (e: KeyboardEvent) => {
      if (useUi.getState().dialog && e.key !== 'Escape') return;
      const key = keyOf(e);
      const inField = editable(e.target);
      if (!inField && (key === 'mod+c' || key === 'mod+x') && !copiesItsOwn()) {
        // The DOM copy event below also puts it on the system clipboard.
        copied = { text: key === 'mod+c' ? copySelection() : cutSelection(), at: Date.now() };
        return;
      }
      if (!inField && key === 'mod+v') {
        if (paste()) {
          handledPasteAt = Date.now();
          e.preventDefault();
        }
        return;
      }
      const s = SHORTCUTS.find((x) => x.keys === key);
      if (!s || (inField && !s.global)) return;
      e.preventDefault();
      s.run();
    };
    const onCopy = (e: ClipboardEvent) => {
      // A part of the page that copies its own selection (the preview grid's cells) has done so.
      if (editable(e.target) || e.defaultPrevented || copiesItsOwn()) return;
      // After the key handler did the work, only hand its text to the system clipboard.
      const text = Date.now() - copied.at < 300 ? copied.text : e.type === 'cut' ? cutSelection() : copySelection();
      if (text && e.clipboardData) {
        e.clipboardData.setData('text/plain', text);
        e.preventDefault();
      }
    };
    const onPaste = (e: ClipboardEvent) => {
      if (editable(e.target) || Date.now() - handledPasteAt < 300) return;
      if (paste(e.clipboardData?.getData('text/plain') ?? undefined)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}
