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
