import type { JSX } from 'react';

const ICONS: Record<string, JSX.Element> = {
  save: <path d="M3 2.5h8.2L13.5 4.8V13a.5.5 0 0 1-.5.5H3a.5.5 0 0 1-.5-.5V3a.5.5 0 0 1 .5-.5zM5 2.5v3.5h5V2.5M4.5 13.5V9h7v4.5" />,
  undo: <path d="M5.5 4 2.5 7l3 3M2.8 7H10a3.5 3.5 0 0 1 0 7H7" />,
  redo: <path d="M10.5 4l3 3-3 3M13.2 7H6a3.5 3.5 0 0 0 0 7h3" />,
  layout: <path d="M2.5 3h4v3.5h-4zM9.5 9.5h4V13h-4zM9.5 3h4v3.5h-4zM6.5 4.7h3M6.5 4.7 8 4.7v6.6h1.5" />,
  fit: <path d="M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10" />,
  run: <path d="M4.5 2.8v10.4L13 8z" />,
  stop: <path d="M4 4h8v8H4z" />,
  sun: (
    <>
      <circle cx="8" cy="8" r="2.8" />
      <path d="M8 1.5v1.6M8 12.9v1.6M1.5 8h1.6M12.9 8h1.6M3.4 3.4l1.1 1.1M11.5 11.5l1.1 1.1M3.4 12.6l1.1-1.1M11.5 4.5l1.1-1.1" />
    </>
  ),
  moon: <path d="M13 9.5A5.5 5.5 0 0 1 6.5 3a5.5 5.5 0 1 0 6.5 6.5z" />,
  folder: <path d="M2 4.5c0-.6.4-1 1-1h3.2l1.3 1.5H13c.6 0 1 .4 1 1V12c0 .6-.4 1-1 1H3c-.6 0-1-.4-1-1z" />,
  plus: <path d="M8 3v10M3 8h10" />,
  file: <path d="M4 1.8h5.2L12 4.6V14H4zM9 2v3h3" />,
  keyboard: <path d="M1.8 4h12.4v8H1.8zM4 6.5h1M7.5 6.5h1M11 6.5h1M5 9.5h6" />,
  // The frame's panels, the part that the toggle shows or hides drawn solid.
  'side-left': (
    <>
      <rect x="2" y="3" width="12" height="10" rx="1.2" />
      <path d="M6 3v10M3.4 5.2h1.3M3.4 7.2h1.3M3.4 9.2h1.3" />
    </>
  ),
  'side-right': (
    <>
      <rect x="2" y="3" width="12" height="10" rx="1.2" />
      <path d="M10 3v10M11.3 5.2h1.3M11.3 7.2h1.3M11.3 9.2h1.3" />
    </>
  ),
  'panel-bottom': (
    <>
      <rect x="2" y="3" width="12" height="10" rx="1.2" />
      <path d="M2 9.5h12M4 11.3h8" />
    </>
  ),
  eye: (
    <>
      <path d="M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8z" />
      <circle cx="8" cy="8" r="2" />
    </>
  ),
};

export function Icon({ name, size = 16 }: { name: keyof typeof ICONS | string; size?: number }): JSX.Element {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {ICONS[name]}
    </svg>
  );
}
