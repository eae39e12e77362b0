import { create } from 'zustand';
import type { ValidationIssue } from '../../shared/errors';
import { serializePipeline } from '../../shared/pipeline/canonical';
import { checkNodes } from '../../shared/pipeline/parse';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';
import type { EditResult } from '../../shared/pipeline/doc-edits';
import { mergeIssues, type EngineProblem } from './engine-problems';
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
  /** The document whose serialization is `savedText` (null when none is known, e.g. a file not in canonical form). */
  savedDoc: Pipeline | null;
  baseSha256: string | null;
  dirty: boolean;
  /** Every problem: the designer's own checks (`localIssues`), then the engine's (`engineProblems`), each once. */
  issues: ValidationIssue[];
  /** What the designer's own checks find (shared/pipeline/parse checkNodes), at once on every edit. */
  localIssues: ValidationIssue[];
  /**
   * What the engine would refuse the document for besides those (pipeline.validate with the
   * workspace: the sandbox's checks), as last answered; see problem-actions.ts.
   */
  engineProblems: readonly EngineProblem[];
  /**
   * Fields that name an input column the input does not have (a join's default `id = id`), as
   * src-renderer/problems/column-watch.ts last found them from the inputs' described columns:
   * joined to the issues so that the cards and the count show them like any other.
   */
  columnProblems: readonly EngineProblem[];
  /** Problems per node id (its config, its inputs, the engine's), for the cards and the inspector. */
  nodeIssues: ReadonlyMap<string, ValidationIssue[]>;
  history: History;
  selection: string[];
  selectedEdges: string[];
  /** Bumped on every change of the document, for autosave. */
  revision: number;
  /**
   * Bumped each time a file is opened (or reopened) and on close: autosave tells "clean because
   * the edits were undone" (its draft may go) from "clean because the file was read again"
   * (the draft is the user's unsaved work and stays).
   */
  opened: number;

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
  /**
   * Keeps the document as it is but compares it with another version of the file from now on
   * (the one on disk, after the user chose to keep theirs): a save then overwrites that version.
   * `text` null: the file is gone or unreadable; `sha256` null: the file must not exist.
   */
  rebase(base: { text: string | null; sha256: string | null; pipeline: Pipeline | null }): void;
  /** The engine's latest answer about this document. */
  setEngineProblems(problems: readonly EngineProblem[]): void;
  /** The input columns found missing for this document (column-watch.ts). */
  setColumnProblems(problems: readonly EngineProblem[]): void;
}

const sameIssues = (a: readonly ValidationIssue[], b: readonly ValidationIssue[]) => a.length === b.length && a.every((x, i) => x.path === b[i]!.path && x.message === b[i]!.message);

/** Problems by node id; a node whose problems did not change keeps its array, so its card does not re-render. */
function nodeIssuesOf(p: Pipeline, issues: ValidationIssue[], prev?: ReadonlyMap<string, ValidationIssue[]>): Map<string, ValidationIssue[]> {
  const out = new Map<string, ValidationIssue[]>();
  for (const issue of issues) {
    const m = /^nodes\[(\d+)\]/.exec(issue.path);
    const node = m ? p.nodes[Number(m[1])] : undefined;
    if (!node) continue;
    out.set(node.id, [...(out.get(node.id) ?? []), { path: issue.path.replace(/^nodes\[\d+\]\.?/, ''), message: issue.message }]);
  }
  if (prev) {
    for (const [id, list] of out) {
      const before = prev.get(id);
      if (before && sameIssues(before, list)) out.set(id, before);
    }
  }
  return out;
}

/** One node written as in a file (a pipeline of it alone), to compare it without serializing the whole document. */
const nodeText = (n: PipelineNode) => serializePipeline({ format: 'weir.pipeline', version: 1, name: '', params: {}, nodes: [n], layout: {} });

const roundedDiffers = (a: number, b: number) => {
  const ra = Math.round(a);
  const rb = Math.round(b);
  // JSON writes every non-finite number as null
  return ra !== rb && (Number.isFinite(ra) || Number.isFinite(rb));
};

/**
 * True only when serializePipeline(p) certainly differs from serializePipeline(saved), found
 * without serializing the document: a different node list, a layout entry that rounds
 * differently, or a changed node whose own canonical form differs. False means "not known".
 */
function surelyDiffers(p: Pipeline, saved: Pipeline): boolean {
  if (p.nodes.length !== saved.nodes.length) return true;
  const changed: number[] = [];
  for (let i = 0; i < p.nodes.length; i++) {
    const a = p.nodes[i]!;
    const b = saved.nodes[i]!;
    if (a.id !== b.id) return true;
    if (a !== b) changed.push(i);
    if (p.layout === saved.layout) continue;
    const pa = p.layout[a.id];
    const pb = saved.layout[a.id];
    if (!pa !== !pb) return true;
    if (pa && pb && (roundedDiffers(pa.x, pb.x) || roundedDiffers(pa.y, pb.y) || !pa.chart !== !pb.chart)) return true;
  }
  return changed.some((i) => nodeText(p.nodes[i]!) !== nodeText(saved.nodes[i]!));
}

/**
 * Whether `p` differs from the file, as `serializePipeline(p) !== savedText` says, but without
 * serializing the whole document on every edit (each drag tick and keystroke applies one):
 * undo back to the saved snapshot is the same object, and most edits differ in a way found
 * cheaply. Only when neither settles it is the document serialized.
 */
function isDirty(p: Pipeline, savedText: string | null, savedDoc: Pipeline | null): boolean {
  if (savedText === null) return true;
  if (savedDoc) {
    if (p === savedDoc) return false;
    if (surelyDiffers(p, savedDoc)) return true;
  }
  return serializePipeline(p) !== savedText;
}

function derived(
  p: Pipeline,
  prev: DocState | null,
  engine: readonly EngineProblem[] = prev?.engineProblems ?? [],
  columns: readonly EngineProblem[] = prev?.columnProblems ?? [],
) {
  const nodesChanged = !prev?.doc || prev.doc.nodes !== p.nodes;
  const recount = nodesChanged || engine !== prev?.engineProblems || columns !== prev?.columnProblems;
  const localIssues = nodesChanged ? checkNodes(p) : (prev?.localIssues ?? []);
  const issues = recount ? mergeIssues(p, localIssues, columns.length ? [...engine, ...columns] : engine) : (prev?.issues ?? []);
  const byId: ReadonlyMap<string, PipelineNode> = nodesChanged ? new Map(p.nodes.map((n) => [n.id, n])) : (prev?.byId ?? new Map());
  return {
    doc: p,
    byId,
    localIssues,
    engineProblems: engine,
    columnProblems: columns,
    issues,
    nodeIssues: recount ? nodeIssuesOf(p, issues, prev?.nodeIssues) : (prev?.nodeIssues ?? new Map()),
  };
}

/** The selection without nodes that are gone; the same array when none is. */
function pruneSelection(byId: ReadonlyMap<string, PipelineNode>, ids: string[]): string[] {
  const kept = ids.filter((id) => byId.has(id));
  return kept.length === ids.length ? ids : kept;
}

export const useDoc = create<DocState>()((set, get) => ({
  root: null,
  path: null,
  doc: null,
  byId: new Map(),
  savedText: null,
  savedDoc: null,
  baseSha256: null,
  dirty: false,
  issues: [],
  localIssues: [],
  engineProblems: [],
  columnProblems: [],
  nodeIssues: new Map(),
  history: emptyHistory(),
  selection: [],
  selectedEdges: [],
  revision: 0,
  opened: 0,

  load({ root, path, pipeline, text, sha256 }) {
    // A file not in canonical form (hand-edited, or an older format upgraded on load) opens dirty.
    const savedDoc = serializePipeline(pipeline) === text ? pipeline : null;
    set({
      root,
      path,
      savedText: text,
      savedDoc,
      baseSha256: sha256,
      history: emptyHistory(),
      selection: [],
      selectedEdges: [],
      revision: get().revision + 1,
      opened: get().opened + 1,
      // Another file's engine answer says nothing about this one.
      ...derived(pipeline, null, [], []),
      dirty: savedDoc === null,
    });
  },

  close() {
    set({ opened: get().opened + 1, path: null, doc: null, byId: new Map(), savedText: null, savedDoc: null, baseSha256: null, dirty: false, issues: [], localIssues: [], engineProblems: [], columnProblems: [], nodeIssues: new Map(), history: emptyHistory(), selection: [], selectedEdges: [] });
  },

  apply(fn, opts = {}) {
    const s = get();
    if (!s.doc) return;
    const next = fn(s.doc);
    if (next === s.doc) return;
    const history = opts.history === false ? s.history : record(s.history, s.doc, opts.coalesce);
    const d = derived(next, s);
    const selection = opts.select ?? pruneSelection(d.byId, s.selection);
    set({ history, selection, selectedEdges: opts.select ? [] : s.selectedEdges, revision: s.revision + 1, ...d, dirty: isDirty(next, s.savedText, s.savedDoc) });
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
    const d = derived(r.pipeline, s);
    set({ history: r.history, selection: pruneSelection(d.byId, s.selection), revision: s.revision + 1, ...d, dirty: isDirty(r.pipeline, s.savedText, s.savedDoc) });
    return true;
  },

  redo() {
    const s = get();
    if (!s.doc) return false;
    const r = redo(s.history, s.doc);
    if (!r) return false;
    const d = derived(r.pipeline, s);
    set({ history: r.history, selection: pruneSelection(d.byId, s.selection), revision: s.revision + 1, ...d, dirty: isDirty(r.pipeline, s.savedText, s.savedDoc) });
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
    const clean = s.doc !== null && serializePipeline(s.doc) === text;
    set({ savedText: text, savedDoc: clean ? s.doc : null, baseSha256: sha256, path: path ?? s.path, dirty: s.doc ? !clean : false });
  },

  rebase({ text, sha256, pipeline }) {
    const s = get();
    const savedDoc = text !== null && pipeline && serializePipeline(pipeline) === text ? pipeline : null;
    set({ savedText: text, savedDoc, baseSha256: sha256, dirty: s.doc ? isDirty(s.doc, text, savedDoc) : false });
  },

  setEngineProblems(problems) {
    const s = get();
    if (!s.doc || problems === s.engineProblems) return;
    const d = derived(s.doc, s, problems);
    set({ engineProblems: d.engineProblems, issues: d.issues, nodeIssues: d.nodeIssues });
  },

  setColumnProblems(problems) {
    const s = get();
    if (!s.doc || problems === s.columnProblems) return;
    const d = derived(s.doc, s, s.engineProblems, problems);
    set({ columnProblems: d.columnProblems, issues: d.issues, nodeIssues: d.nodeIssues });
  },
}));
