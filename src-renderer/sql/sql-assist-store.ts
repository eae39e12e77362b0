import { useEffect } from 'react';
import { create } from 'zustand';
import { ApiError } from '../../shared/api/envelope';
import type { InputSchemaDto, SqlFunctionDto } from '../../shared/api/sql-schemas';
import { upstreamOf } from '../../shared/pipeline/graph';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';
import { api } from '../api/client';
import { documentCalls } from '../document/document-calls';
import { useDoc } from '../document/doc-store';

/**
 * What the SQL editor knows without asking while the user types: the columns of a node's
 * inputs (fetched in the background when the node is shown, cached by everything they
 * depend on) and DuckDB's functions (fetched once per app start).
 */
export interface InputSchemas {
  status: 'loading' | 'ready' | 'error';
  inputs: InputSchemaDto[];
  error: string | null;
}

interface SqlAssistState {
  /** By cache key: the pipeline file, the node, and its upstream as it is now. */
  schemas: Readonly<Record<string, InputSchemas>>;
  /** Per node, the key of its last ready schemas: shown while newer ones load. */
  lastReady: Readonly<Record<string, string>>;
  functions: SqlFunctionDto[] | null;
}

export const useSqlAssist = create<SqlAssistState>()(() => ({ schemas: {}, lastReady: {}, functions: null }));

const MAX_ENTRIES = 64;
const inFlight = new Set<string>();

/** Two 32-bit FNV-1a hashes of a string, as hex: a short, stable cache key. */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

const nodeText = new WeakMap<PipelineNode, string>();
/** A node as its result depends on it (not its place on the canvas), serialized once per node object. */
function describeNode(n: PipelineNode): string {
  let t = nodeText.get(n);
  if (t === undefined) {
    t = JSON.stringify([n.id, n.name, n.kind, n.inputs, n.config]);
    nodeText.set(n, t);
  }
  return t;
}

/**
 * The cache key of a node's input schemas: they change only when something upstream of
 * the node changes (never while its own SQL is typed), or its inputs, or the parameters.
 */
export function inputsKey(p: Pipeline, path: string, nodeId: string): string | null {
  const node = p.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const up = upstreamOf(p.nodes, nodeId);
  const parts = p.nodes.filter((n) => up.has(n.id)).map(describeNode);
  return `${path}|${nodeId}|${hash(JSON.stringify([node.inputs, p.params, parts]))}`;
}

function store(key: string, entry: InputSchemas, nodeId: string): void {
  useSqlAssist.setState((s) => {
    const schemas = { ...s.schemas, [key]: entry };
    const keys = Object.keys(schemas);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete schemas[old];
    return { schemas, lastReady: entry.status === 'ready' ? { ...s.lastReady, [nodeId]: key } : s.lastReady };
  });
}

/** Fetches the node's input schemas unless they are cached or on their way; returns the key. */
export function requestInputSchemas(nodeId: string): string | null {
  const { root, path, doc } = useDoc.getState();
  if (!root || !path || !doc) return null;
  const node = doc.nodes.find((n) => n.id === nodeId);
  const key = inputsKey(doc, path, nodeId);
  if (!key || !node || node.inputs.length === 0) return key;
  const cached = useSqlAssist.getState().schemas[key];
  if ((cached && cached.status !== 'error') || inFlight.has(key)) return key;
  inFlight.add(key);
  store(key, { status: 'loading', inputs: [], error: null }, nodeId);
  documentCalls.call('pipeline.describeInputs', { root, path, nodeId }, doc)
    .then(
      ({ inputs }) => store(key, { status: 'ready', inputs, error: null }, nodeId),
      (e: unknown) => {
        if (e instanceof ApiError && e.kind === 'cancelled') {
          // A newer request for the node took over; this key may be asked again.
          useSqlAssist.setState((s) => {
            const schemas = { ...s.schemas };
            delete schemas[key];
            return { schemas };
          });
        } else store(key, { status: 'error', inputs: [], error: e instanceof Error ? e.message : String(e) }, nodeId);
      },
    )
    .finally(() => inFlight.delete(key));
  return key;
}

let functionsAsked = false;

/** DuckDB's functions, asked once per app start. */
export function requestFunctions(): void {
  if (functionsAsked) return;
  functionsAsked = true;
  api.call('sql.functions', {}).then(
    ({ functions }) => useSqlAssist.setState({ functions }),
    () => {
      functionsAsked = false; // asked again by the next editor
    },
  );
}

/**
 * For a component showing a node's SQL: asks for its input schemas in the background
 * (a moment after the upstream stops changing) and returns what is known.
 */
export function useInputSchemas(nodeId: string): InputSchemas | null {
  const key = useDoc((s) => (s.doc && s.path ? inputsKey(s.doc, s.path, nodeId) : null));
  useEffect(() => {
    if (!key) return;
    const t = setTimeout(() => requestInputSchemas(nodeId), 150);
    return () => clearTimeout(t);
  }, [key, nodeId]);
  return useSqlAssist((s) => {
    const entry = key ? s.schemas[key] : undefined;
    if (entry?.status === 'ready') return entry;
    const last = s.lastReady[nodeId];
    return (last ? s.schemas[last] : undefined) ?? entry ?? null;
  });
}
