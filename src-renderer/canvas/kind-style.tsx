import type { JSX } from 'react';
import type { NodeCategory } from '../../shared/nodes/registry';

/** One calm colour per category, so a glance tells sources, transforms, checks and outputs apart. */
export const CATEGORY_LABEL: Record<NodeCategory, string> = {
  source: 'Sources',
  transform: 'Transforms',
  check: 'Checks',
  sink: 'Outputs',
};

export const CATEGORY_ORDER: NodeCategory[] = ['source', 'transform', 'check', 'sink'];

const paths: Record<NodeCategory, JSX.Element> = {
  source: (
    <>
      <ellipse cx="8" cy="4" rx="5.5" ry="2" />
      <path d="M2.5 4v8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2V4" />
      <path d="M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2" />
    </>
  ),
  transform: <path d="M5.5 3.5 2 8l3.5 4.5M10.5 3.5 14 8l-3.5 4.5M9 2.5 7 13.5" />,
  check: (
    <>
      <path d="M8 1.8 13 3.6v4.1c0 3-2.2 5.4-5 6.5-2.8-1.1-5-3.5-5-6.5V3.6z" />
      <path d="m5.6 8 1.7 1.7 3.2-3.4" />
    </>
  ),
  sink: (
    <>
      <path d="M8 2v7.5M4.8 6.5 8 9.7l3.2-3.2" />
      <path d="M2.5 10.5v2.2c0 .7.6 1.3 1.3 1.3h8.4c.7 0 1.3-.6 1.3-1.3v-2.2" />
    </>
  ),
};

export function CategoryIcon({ category, size = 14 }: { category: NodeCategory; size?: number }): JSX.Element {
  return (
    <svg className={`cat-icon cat-${category}`} width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {paths[category]}
    </svg>
  );
}

export const categoryColorVar = (c: NodeCategory) => `var(--cat-${c})`;
