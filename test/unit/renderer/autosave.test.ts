import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { emptyPipeline } from '../../../shared/pipeline/doc-edits';

/**
 * Drafts are deleted only when the user says so (issue #15 item 1): never because the file was
 * read again; and an edit due when the document is left is written at once.
 */
const calls = vi.hoisted(() => [] as { method: string; input: { path: string; text?: string } }[]);
vi.mock('../../../src-renderer/api/client', () => ({
  api: {
    call: async (method: string, input: { path: string; text?: string }) => {
      calls.push({ method, input });
      return {};
    },
  },
}));
vi.stubGlobal('window', { addEventListener() {}, removeEventListener() {} });

const { startAutosave, flushDraft } = await import('../../../src-renderer/document/autosave');
const { useDoc } = await import('../../../src-renderer/document/doc-store');
const { useUi } = await import('../../../src-renderer/ui/ui-store');

const A = 'pipelines/a.weir.json';
const B = 'pipelines/b.weir.json';
const base = emptyPipeline('release');

function open(path: string): void {
  useDoc.getState().load({ root: '/w', path, pipeline: base, text: serializePipeline(base), sha256: 'x' });
}
const describe_ = (text: string) => useDoc.getState().apply((p) => ({ ...p, description: text }), { coalesce: 'd' });
const methods = () => calls.map((c) => `${c.method} ${c.input.path}${c.input.text?.includes('"description"') ? ` ${JSON.parse(c.input.text).description}` : ''}`);

let stop: () => void;
beforeEach(() => {
  vi.useFakeTimers();
  calls.length = 0;
  useUi.getState().setRecovery(null);
  open(A);
  stop = startAutosave();
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

describe('autosave', () => {
  it('drafts an edit after a moment, and keeps the draft when the same file is opened again', async () => {
    describe_('edited');
    await vi.advanceTimersByTimeAsync(800);
    expect(methods()).toEqual([`drafts.save ${A} edited`]);
    open(A); // clicked again in the sidebar, "Leave it?" accepted
    await vi.advanceTimersByTimeAsync(3000);
    expect(methods()).toEqual([`drafts.save ${A} edited`]);
  });

  it('forgets its own draft when every edit is undone within the same opening', async () => {
    describe_('edited');
    await vi.advanceTimersByTimeAsync(800);
    useDoc.getState().undo();
    await vi.advanceTimersByTimeAsync(800);
    expect(methods()).toEqual([`drafts.save ${A} edited`, `drafts.discard ${A}`]);
  });

  it('writes the edit still due when another file is opened, for the file it belongs to', async () => {
    describe_('just before leaving');
    await vi.advanceTimersByTimeAsync(100);
    open(B);
    await vi.advanceTimersByTimeAsync(3000);
    expect(methods()).toEqual([`drafts.save ${A} just before leaving`]);
  });

  it('flushDraft writes what is due at once (before another workspace is opened)', async () => {
    describe_('now');
    await flushDraft();
    expect(methods()).toEqual([`drafts.save ${A} now`]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(methods()).toHaveLength(1);
  });

  it('leaves a recovered draft that is offered alone until the user chooses', async () => {
    useUi.getState().setRecovery({ path: A, text: '{}', baseSha256: 'x', savedAt: '2026-01-01T00:00:00Z' });
    describe_('newer edit');
    await vi.advanceTimersByTimeAsync(3000);
    expect(methods()).toEqual([]);
    useUi.getState().setRecovery(null);
    await flushDraft(true);
    expect(methods()).toEqual([`drafts.save ${A} newer edit`]);
  });
});
