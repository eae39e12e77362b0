/** The app itself, imported by main.tsx once the first requests are on their way. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/base.css';
import { App } from './App';
import { startSqlEditorSupport } from './sql/wiring';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

startSqlEditorSupport();
