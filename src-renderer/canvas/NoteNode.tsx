import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useCallback, useEffect, useRef, useState, type JSX } from 'react';
import { NOTE_SIZE, MAX_NOTE_TEXT } from '../../shared/pipeline/annotations';
import { beginResize, changeAnnotation, endResize } from './annotation-actions';
import type { NoteFlowNode } from './annotation-mapping';
import { ColorSwatches } from './ColorSwatches';
import { useEditKey } from './use-edit-key';

/**
 * A sticky note: plain text (line breaks kept, nothing rendered as markup), a colour, resizable
 * by its handles when selected. Double-click (or Enter on the focused note) edits the text; Escape or a click outside
 * ends editing.
 */
export const NoteNode = memo(function NoteNode({ data, selected }: NodeProps<NoteFlowNode>): JSX.Element {
  const { note } = data;
  const [editing, setEditing] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const box = useRef<HTMLDivElement>(null);
  useEditKey(box, useCallback(() => setEditing(true), []));
  useEffect(() => {
    if (editing) area.current?.focus();
  }, [editing]);
  return (
    <div
      ref={box}
      className={`note-card note-${note.color}${selected ? ' selected' : ''}`}
      data-testid="note"
      data-note-id={note.id}
      onDoubleClick={() => setEditing(true)}
    >
      <NodeResizer isVisible={selected} minWidth={NOTE_SIZE.min} minHeight={NOTE_SIZE.min} maxWidth={NOTE_SIZE.max} maxHeight={NOTE_SIZE.max} onResizeStart={beginResize} onResizeEnd={endResize} />
      {selected && <ColorSwatches type="note" id={note.id} color={note.color} />}
      {editing ? (
        <textarea
          ref={area}
          className="note-text nodrag nowheel nopan"
          aria-label="Note text"
          value={note.text}
          maxLength={MAX_NOTE_TEXT}
          onChange={(e) => changeAnnotation('note', note.id, { text: e.target.value }, `note-text:${note.id}`)}
          onBlur={() => setEditing(false)}
          onKeyDown={(e) => {
            // the canvas's keys (delete, undo, arrows) are not meant while typing here
            e.stopPropagation();
            if (e.key === 'Escape') setEditing(false);
          }}
          data-testid="note-text"
        />
      ) : (
        <div className="note-text nowheel">{note.text || <span className="note-empty">Double-click to write</span>}</div>
      )}
    </div>
  );
});
