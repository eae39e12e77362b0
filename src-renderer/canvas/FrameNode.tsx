import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useCallback, useRef, useState, type JSX } from 'react';
import { FRAME_SIZE, MAX_FRAME_TITLE } from '../../shared/pipeline/annotations';
import { beginResize, changeAnnotation, endResize } from './annotation-actions';
import type { FrameFlowNode } from './annotation-mapping';
import { ColorSwatches } from './ColorSwatches';
import { useEditKey } from './use-edit-key';

/**
 * A named frame: a rectangle drawn behind the cards. It is dragged by its title (the cards
 * wholly inside it at the start of the drag go with it, see Canvas.tsx); its body lets the
 * pointer through to the canvas. Double-click the title (or Enter on the focused frame) to rename it.
 */
export const FrameNode = memo(function FrameNode({ data, selected }: NodeProps<FrameFlowNode>): JSX.Element {
  const { frame } = data;
  const [editing, setEditing] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEditKey(box, useCallback(() => setEditing(true), []));
  return (
    <div ref={box} className={`frame-box note-${frame.color}${selected ? ' selected' : ''}`} data-testid="frame" data-frame-id={frame.id}>
      <NodeResizer isVisible={selected} minWidth={FRAME_SIZE.min} minHeight={FRAME_SIZE.min} maxWidth={FRAME_SIZE.max} maxHeight={FRAME_SIZE.max} onResizeStart={beginResize} onResizeEnd={endResize} />
      <div className="frame-title" onDoubleClick={() => setEditing(true)} data-testid="frame-title">
        {editing ? (
          <input
            className="nodrag"
            aria-label="Frame title"
            autoFocus
            value={frame.title}
            maxLength={MAX_FRAME_TITLE}
            onChange={(e) => changeAnnotation('frame', frame.id, { title: e.target.value }, `frame-title:${frame.id}`)}
            onBlur={() => setEditing(false)}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter' || e.key === 'Escape') setEditing(false);
            }}
          />
        ) : (
          <span>{frame.title || 'Frame'}</span>
        )}
      </div>
      {selected && <ColorSwatches type="frame" id={frame.id} color={frame.color} />}
    </div>
  );
});
