import { Handle, Position, useStoreApi } from '@xyflow/react';
import type { JSX, MouseEvent as ReactMouseEvent } from 'react';

/**
 * A card's port. While its card is not under the pointer (nor selected) it is a plain element
 * with the classes and data attributes React Flow's `<Handle>` gives its own: React Flow
 * measures ports and finds where a connection ends by those, so edges, hit tests and a
 * connection dropped on it behave the same. Only a live port is a `<Handle>`, because every
 * Handle subscribes to React Flow's store, and that store changes on every frame of a pan:
 * two thousand ports of a 1000-node canvas were two thousand selector calls a frame (figure 7b
 * of `npm run bench`), besides the Handle's render when the cards first show. The card turns
 * its ports live when the pointer enters it; a press that reaches a port before that render
 * (a quick flick and press, a busy machine) wakes the card at once and is handed to the handle
 * that replaced the stand-in, so no press on a port is lost.
 */
export function CardPort({ type, live, nodeId, wake }: { type: 'source' | 'target'; live: boolean; nodeId: string; wake: () => void }): JSX.Element {
  const className = type === 'target' ? 'port port-in' : 'port port-out';
  const position = type === 'target' ? Position.Left : Position.Right;
  if (live) return <Handle type={type} position={position} className={className} />;
  return <PortStub type={type} position={position} className={className} nodeId={nodeId} wake={wake} />;
}

/**
 * A press on a stand-in: `wake` renders the card's handles synchronously (flushSync), then the
 * same press is sent to the handle now under the pointer, where React Flow starts the connection.
 */
function pressThrough(e: ReactMouseEvent<HTMLDivElement>, wake: () => void): void {
  if (e.button !== 0) return;
  const stub = e.currentTarget;
  const { clientX, clientY, screenX, screenY, button, buttons, shiftKey, ctrlKey, altKey, metaKey } = e.nativeEvent;
  e.stopPropagation();
  e.preventDefault();
  wake();
  const handle = document.elementFromPoint(clientX, clientY);
  if (!handle || handle === stub || !handle.classList.contains('react-flow__handle') || handle.hasAttribute('data-stub')) return;
  handle.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true, view: window, clientX, clientY, screenX, screenY, button, buttons, shiftKey, ctrlKey, altKey, metaKey }));
}

/** What `<Handle>` renders while no connection is in progress (@xyflow/react 12, HandleComponent). */
function PortStub({ type, position, className, nodeId, wake }: { type: 'source' | 'target'; position: Position; className: string; nodeId: string; wake: () => void }): JSX.Element {
  // The flow's id never changes; read once, not subscribed to.
  const { rfId, noPanClassName } = useStoreApi().getState();
  return (
    <div
      data-handleid={null}
      data-nodeid={nodeId}
      data-handlepos={position}
      data-id={`${rfId}-${nodeId}-null-${type}`}
      data-stub=""
      className={`react-flow__handle react-flow__handle-${position} nodrag ${noPanClassName} ${className} ${type} connectable connectablestart connectableend connectionindicator`}
      onMouseDown={(e) => pressThrough(e, wake)}
    />
  );
}
