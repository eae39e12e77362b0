import { useEffect, useState, type JSX } from 'react';
import { useDoc } from '../state/doc-store';
import { usePreview } from '../state/preview-store';
import { useRun } from '../state/run-store';
import { PreviewTable } from './PreviewTable';
import { RunLog } from './RunLog';

type Tab = 'preview' | 'log';

/**
 * The panel under the canvas: a node's preview and the run log. Both are plain for now; the
 * preview grid with profiling and the full run panel replace these components.
 */
export function BottomPanel(): JSX.Element | null {
  const [tab, setTab] = useState<Tab>('preview');
  const [open, setOpen] = useState(false);
  const previewNode = usePreview((s) => s.nodeId);
  const previewLoading = usePreview((s) => s.loading);
  const phase = useRun((s) => s.phase);
  const hasDoc = useDoc((s) => s.doc !== null);

  useEffect(() => {
    if (previewNode && previewLoading) {
      setTab('preview');
      setOpen(true);
    }
  }, [previewNode, previewLoading]);
  useEffect(() => {
    if (phase === 'starting') {
      setTab('log');
      setOpen(true);
    }
  }, [phase]);

  if (!hasDoc) return null;
  return (
    <section className={`bottom-panel${open ? ' open' : ''}`} aria-label="Preview and run log">
      <div className="tabs" role="tablist">
        {(['preview', 'log'] as const).map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={open && tab === t}
            className={open && tab === t ? 'active' : ''}
            onClick={() => {
              if (open && tab === t) setOpen(false);
              else {
                setTab(t);
                setOpen(true);
              }
            }}
          >
            {t === 'preview' ? 'Preview' : 'Run log'}
          </button>
        ))}
        <span className="spacer" />
        {open && (
          <button type="button" className="icon-btn" onClick={() => setOpen(false)} aria-label="Close panel">
            ▾
          </button>
        )}
      </div>
      {open && <div className="panel-body">{tab === 'preview' ? <PreviewTable /> : <RunLog />}</div>}
    </section>
  );
}
