import type { ApiClient } from '../../shared/api/client';
import type { MethodInput, MethodOutput } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/envelope';
import { diffDocs } from '../../shared/pipeline/doc-delta';
import type { Pipeline } from '../../shared/pipeline/schema';

/** The calls that compute nodes of the document in the file's warm session. */
export type DocumentCall = 'pipeline.preview' | 'pipeline.profile' | 'pipeline.chart' | 'pipeline.describeInputs' | 'pipeline.lineage' | 'pipeline.explain';
export type DocumentCallRest<M extends DocumentCall> = Omit<MethodInput<M>, 'pipeline' | 'base' | 'edits'> & { root: string; path: string };

export interface DocumentSync {
  /**
   * Calls `method` about `doc`, sending only the edits since the document the file's session
   * last answered for (shared/pipeline/doc-delta.ts); the whole document the first time, and
   * once more when the session no longer holds that one (`stale`: it was closed after idle
   * time, another workspace was opened, the app or server restarted).
   */
  call<M extends DocumentCall>(method: M, rest: DocumentCallRest<M>, doc: Pipeline): Promise<MethodOutput<M>>;
  /** The whole document a call's input stood for, however it was sent (edits or whole). */
  documentOf(input: unknown): Pipeline | undefined;
}

/** The renderer's side of the warm sessions' revisions, over `client` (document-calls.ts holds the app's). */
export function createDocumentSync(client: ApiClient): DocumentSync {
  /** Per file: the last document the main process answered for, and the revision it keeps it under. */
  const held = new Map<string, { revision: string; doc: Pipeline }>();
  const stands = new WeakMap<object, Pipeline>();

  async function send<M extends DocumentCall>(method: M, key: string, input: object, doc: Pipeline): Promise<MethodOutput<M>> {
    stands.set(input, doc);
    // The input is the method's own fields plus the document or its edits; the contract checks it again.
    const out = await client.call(method, input as MethodInput<M>);
    const revision = (out as { revision?: string }).revision;
    if (revision) held.set(key, { revision, doc });
    return out;
  }

  return {
    async call(method, rest, doc) {
      const key = `${rest.root}\0${rest.path}`;
      const last = held.get(key);
      const edits = last ? diffDocs(last.doc, doc) : null;
      if (last && edits) {
        try {
          return await send(method, key, { ...rest, base: last.revision, edits }, doc);
        } catch (e) {
          if (!(e instanceof ApiError && e.kind === 'stale')) throw e;
          if (held.get(key) === last) held.delete(key);
        }
      }
      return send(method, key, { ...rest, pipeline: doc }, doc);
    },
    documentOf(input) {
      if (typeof input !== 'object' || input === null) return undefined;
      return stands.get(input) ?? (input as { pipeline?: Pipeline }).pipeline;
    },
  };
}
