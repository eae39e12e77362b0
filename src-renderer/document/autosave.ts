import { serializePipeline } from '../../shared/pipeline/canonical';
import { api } from '../api/client';
import { useDoc } from './doc-store';

const DELAY_MS = 700;

/**
 * Keeps unsaved work in the workspace's .weir/drafts while the document is dirty, so a
 * crash loses at most the last moment; forgets the draft when the document is clean again.
 */
export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let drafted: { root: string; path: string } | null = null;

  const flush = () => {
    timer = null;
    const { root, path, doc, dirty, baseSha256 } = useDoc.getState();
    if (!root || !path || !doc) return;
    if (dirty) {
      drafted = { root, path };
      void api.call('drafts.save', { root, path, text: serializePipeline(doc), baseSha256 }).catch(() => {});
    } else if (drafted && drafted.root === root && drafted.path === path) {
      drafted = null;
      void api.call('drafts.discard', { root, path }).catch(() => {});
    }
  };

  const unsubscribe = useDoc.subscribe((s, prev) => {
    if (s.revision === prev.revision && s.dirty === prev.dirty) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, DELAY_MS);
  });
  const onHide = () => {
    if (timer) {
      clearTimeout(timer);
      flush();
    }
  };
  window.addEventListener('pagehide', onHide);
  return () => {
    unsubscribe();
    window.removeEventListener('pagehide', onHide);
  };
}
