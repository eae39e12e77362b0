import { useEffect, type JSX } from 'react';
import { api } from '../api/client';
import { useDoc } from '../document/doc-store';
import { runOptions } from '../run/run-options';
import { setPreviewLot } from './preview-actions';
import { usePreview } from './preview-store';

/**
 * A partitioned pipeline's lot picker in the preview's header (docs/lots.md): previews read only
 * the chosen lot's inputs, with getvariable('<key>') set to it. The lots are those
 * `pipeline.partitions` lists; until one is chosen the newest (the last value: lots sort as they
 * arrive, B0001 … B0040) is used. Nothing for a pipeline without partitions.
 */
export function LotPicker(): JSX.Element | null {
  const root = useDoc((s) => s.root);
  const path = useDoc((s) => s.path);
  const key = useDoc((s) => s.doc?.partitions?.key ?? null);
  const lots = usePreview((s) => s.lots);
  const lot = usePreview((s) => s.lot);

  useEffect(() => {
    if (!root || !path || !key) return;
    let live = true;
    const { environment, params } = runOptions();
    api.call('pipeline.partitions', { root, path, ...(environment ? { environment } : {}), ...(params ? { params } : {}) }).then(
      (l) => {
        if (!live) return;
        const keys = l.partitions.map((p) => p.key);
        const current = usePreview.getState().lot;
        usePreview.getState().set({ lots: keys });
        // The newest lot, unless the one chosen is still there.
        const pick = current && keys.includes(current) ? current : keys.at(-1);
        if (pick && pick !== current) setPreviewLot(pick);
      },
      () => live && usePreview.getState().set({ lots: [] }),
    );
    return () => {
      live = false;
    };
  }, [root, path, key]);

  if (!key) return null;
  return (
    <label className="preview-lot muted small" title={`The preview reads only this lot's inputs; getvariable('${key}') is its value`}>
      {key}
      <select value={lot ?? ''} onChange={(e) => setPreviewLot(e.target.value)} disabled={!lots.length} data-testid="preview-lot" aria-label={`Lot (${key}) to preview`}>
        {!lots.length && <option value="">no lots</option>}
        {lots.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    </label>
  );
}
