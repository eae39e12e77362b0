import type { JSX } from 'react';
import { useMenuDismiss } from '../ui/use-menu-dismiss';
import { RunScopeButtons } from '../run/RunScopeButtons';
import type { RunScope } from '../run/run-scope';
import './node-menu.css';

export interface NodeMenuAt {
  nodeId: string;
  x: number;
  y: number;
}

/** A card's context menu (right-click): run from here, run to here, run this node. Escape or a click elsewhere closes it. */
export function NodeMenu({ menu, onClose, onRun }: { menu: NodeMenuAt; onClose(): void; onRun(nodeId: string, scope: RunScope): void }): JSX.Element {
  const first = useMenuDismiss(onClose);
  return (
    <div
      className="node-menu"
      role="menu"
      aria-label="Node"
      style={{ left: Math.min(menu.x, window.innerWidth - 300), top: Math.min(menu.y, window.innerHeight - 110) }}
      data-testid="node-menu"
      onPointerDown={(e) => e.stopPropagation()}
    >
      <RunScopeButtons
        nodeId={menu.nodeId}
        asMenu
        firstRef={first}
        onRun={(scope) => {
          onClose();
          onRun(menu.nodeId, scope);
        }}
      />
    </div>
  );
}
