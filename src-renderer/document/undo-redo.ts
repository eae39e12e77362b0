import { useDoc } from './doc-store';
import { useUi } from '../ui/ui-store';

/** Undo and redo of the document, bound to keys, the toolbar and the desktop menu. */

export function undo(): void {
  if (!useDoc.getState().undo()) useUi.getState().notify('info', 'Nothing to undo.');
}

export function redo(): void {
  if (!useDoc.getState().redo()) useUi.getState().notify('info', 'Nothing to redo.');
}
