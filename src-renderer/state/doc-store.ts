import { create } from 'zustand';
import type { ValidationIssue } from '../../shared/errors';
import { serializePipeline } from '../../shared/pipeline/canonical';
import { checkNodes } from '../../shared/pipeline/parse';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';
import type { EditResult } from './doc-model';
import { emptyHistory, record, redo, undo, type History } from './history';

/**
 * The open pipeline: the document, its undo history, the selection, and whether it differs
 * from the file. Run status lives in its own store (run-store), keyed by node id, so a
 * progress tick never touches the graph.
 */
export interface DocState {
  root: string | null;
  path: string | null;
  doc: Pipeline | null;
  byId: ReadonlyMap<string, PipelineNode>;
  /** The canonical text last read or written, and that file's hash. */
  savedText: string | null;
  baseSha256: string | null;
  dirty: boolean;
  issues: ValidationIssue[];
  /** Problems per node id (its config, its inputs), for the cards and the inspector. */
  nodeIssues: ReadonlyMap<string, ValidationIssue[]>;
  history: History;
  selection: string[];
  selectedEdges: string[];
  /** Bumped on every change of the document, for autosave. */
  revision: number;

  load(args: { root: string; path: string; pipeline: Pipeline; text: string; sha256: string }): void;
  close(): void;
  /** An edit; `coalesce` merges quick repeats (typing) into one undo step; `history: false` for drag ticks. */
  apply(fn: (p: Pipeline) => Pipeline, opts?: { coalesce?: string; history?: boolean; select?: string[] }): void;
  /** An edit that may be refused; returns the refusal message. */
  tryApply(fn: (p: Pipeline) => EditResult, opts?: { coalesce?: string }): string | null;
  /** Starts a gesture (a drag) that is one undo step however many ticks it has. */
  beginGesture(): void;
  undo(): boolean;
  redo(): boolean;
  setSelection(nodes: string[], edges?: string[]): void;
  markSaved(text: string, sha256: string, path?: string): void;
}

function nodeIssuesOf(p: Pipeline, issues: ValidationIssue[]): Map<string, ValidationIssue[]> {
  const out = new Map<string, ValidationIssue[]>();
  for (const issue of issues) {
    const m = /^nodes\[(\d+)\]/.exec(issue.path);
    const node = m ? p.nodes[Number(m[1])] : undefined;
    if (!node) continue;
    out.set(node.id, [...(out.get(node.id) ?? []), { path: issue.path.replace(/^nodes\[\d+\]\.?/, ''), message: issue.message }]);
  }
  return out;
}

function derived(p: Pipeline, prev: DocState | null, savedText: string | null) {
  const nodesChanged = !prev?.doc || prev.doc.nodes !== p.nodes;
  const issues = nodesChanged ? checkNodes(p) : (prev?.issues ?? []);
  return {
    doc: p,
    byId: nodesChanged ? new Map(p.nodes.map((n) => [n.id, n])) : (prev?.byId ?? new Map()),
    issues,
    nodeIssues: nodesChanged ? nodeIssuesOf(p, issues) : (prev?.nodeIssues ?? new Map()),
    dirty: savedText === null || serializePipeline(p) !== savedText,
  };
}

const pruneSelection = (p: Pipeline, ids: string[]) => ids.filter((id) => p.nodes.some((n) => n.id === id));

export const useDoc = create<DocState>()((set, get) => ({
  root: null,
  path: null,
  doc: null,
  byId: new Map(),
  savedText: null,
  baseSha256: null,
  dirty: false,
  issues: [],
  nodeIssues: new Map(),
  history: emptyHistory(),
  selection: [],
  selectedEdges: [],
  revision: 0,

  load({ root, path, pipeline, text, sha256 }) {
    set({
      root,
      path,
      savedText: text,
      baseSha256: sha256,
      history: emptyHistory(),
      selection: [],
      selectedEdges: [],
      revision: get().revision + 1,
      ...derived(pipeline, null, text),
    });
  },

  close() {
    set({ path: null, doc: null, byId: new Map(), savedText: null, baseSha256: null, dirty: false, issues: [], nodeIssues: new Map(), history: emptyHistory(), selection: [], selectedEdges: [] });
  },

  apply(fn, opts = {}) {
    const s = get();
    if (!s.doc) return;
    const next = fn(s.doc);
    if (next === s.doc) return;
    const history = opts.history === false ? s.history : record(s.history, s.doc, opts.coalesce);
    const selection = opts.select ?? pruneSelection(next, s.selection);
    set({ history, selection, selectedEdges: opts.select ? [] : s.selectedEdges, revision: s.revision + 1, ...derived(next, s, s.savedText) });
  },

  tryApply(fn, opts = {}) {
    const s = get();
    if (!s.doc) return 'No pipeline is open.';
    const r = fn(s.doc);
    if (!r.ok) return r.message;
    get().apply(() => r.pipeline, opts);
    return null;
  },

  beginGesture() {
    const s = get();
    if (s.doc) set({ history: record(s.history, s.doc) });
  },

  undo() {
    const s = get();
    if (!s.doc) return false;
    const r = undo(s.history, s.doc);
    if (!r) return false;
    set({ history: r.history, selection: pruneSelection(r.pipeline, s.selection), revision: s.revision + 1, ...derived(r.pipeline, s, s.savedText) });
    return true;
  },

  redo() {
    const s = get();
    if (!s.doc) return false;
    const r = redo(s.history, s.doc);
    if (!r) return false;
    set({ history: r.history, selection: pruneSelection(r.pipeline, s.selection), revision: s.revision + 1, ...derived(r.pipeline, s, s.savedText) });
    return true;
  },

  setSelection(nodes, edges = []) {
    const s = get();
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (same(s.selection, nodes) && same(s.selectedEdges, edges)) return;
    set({ selection: nodes, selectedEdges: edges });
  },

  markSaved(text, sha256, path) {
    const s = get();
    set({ savedText: text, baseSha256: sha256, path: path ?? s.path, dirty: s.doc ? serializePipeline(s.doc) !== text : false });
  },
}));
