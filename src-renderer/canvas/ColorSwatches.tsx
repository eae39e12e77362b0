import type { JSX } from 'react';
import { ANNOTATION_COLORS, type AnnotationColor } from '../../shared/pipeline/annotations';
import type { AnnotationType } from '../../shared/pipeline/annotation-edits';
import { changeAnnotation } from './annotation-actions';

/** The colours a selected note or frame may take, shown over it. */
export function ColorSwatches({ type, id, color }: { type: AnnotationType; id: string; color: AnnotationColor }): JSX.Element {
  return (
    <div className="annotation-swatches nodrag" role="group" aria-label="Colour">
      {ANNOTATION_COLORS.map((c) => (
        <button
          key={c}
          type="button"
          className={`swatch note-${c}${c === color ? ' on' : ''}`}
          aria-label={c}
          aria-pressed={c === color}
          title={c}
          onClick={(e) => {
            e.stopPropagation();
            changeAnnotation(type, id, { color: c });
          }}
        />
      ))}
    </div>
  );
}
