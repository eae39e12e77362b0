import type { JSX } from 'react';
import './review.css';

/** What the review's marks mean: the same swatches in the Changes tab and over the canvas. */
export function ReviewLegendItems(): JSX.Element {
  return (
    <>
      <span className="rv-swatch breaking">breaking</span>
      <span className="rv-swatch non_breaking">non-breaking</span>
      <span className="rv-swatch plain direct">changed here</span>
      <span className="rv-swatch plain downstream">downstream</span>
    </>
  );
}
