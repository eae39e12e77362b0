import { useCallback, useState, type MouseEvent } from 'react';
import { useDoc } from '../document/doc-store';
import { annotationOf } from './annotation-mapping';
import type { NodeMenuAt } from './NodeMenu';

/**
 * The card's context menu: opened by a right-click on a card (selecting it unless it is part of
 * the selection), only where the shell can run a part of the pipeline. Notes and frames have no
 * run scope: the browser's own menu stays.
 */
export function useNodeMenu(enabled: boolean): { menu: NodeMenuAt | null; closeMenu(): void; onNodeContextMenu(e: MouseEvent, node: { id: string }): void } {
  const [menu, setMenu] = useState<NodeMenuAt | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const onNodeContextMenu = useCallback(
    (e: MouseEvent, node: { id: string }) => {
      if (!enabled || annotationOf(node.id)) return;
      e.preventDefault();
      if (!useDoc.getState().selection.includes(node.id)) useDoc.getState().setSelection([node.id]);
      setMenu({ nodeId: node.id, x: e.clientX, y: e.clientY });
    },
    [enabled],
  );
  return { menu, closeMenu, onNodeContextMenu };
}
