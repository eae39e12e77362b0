import type { DuckDBConnection } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import { nodeCacheKey } from '../cache/cache-key';
import { NodeCache } from '../cache/node-cache';
import type { EngineContext } from '../context';
import { duckdbVersion } from '../duckdb/instance';
import type { NodeOutcome, RunContext } from '../nodes/types';
import { connectionSpecFor, resolveConnection, type SecretLookup } from '../workspace/workspace';
import type { ParamValue } from './params';
import type { PlannedNode } from './plan';
import { relationRowCount, relationStats } from '../duckdb/relation-stats';
import type { SourceStates } from './source-state';

export interface MaterializeEnv {
  conn: DuckDBConnection;
  signal: AbortSignal;
  scratchDir: string;
  environment: string;
  /** The run's lookup for `${env:NAME}`: the request's, then the engine context's. */
  secrets: SecretLookup;
  /** What the shell handed the engine; nodes open their clients through it. */
  engine: EngineContext;
  params: Record<string, ParamValue>;
  /** Null when the cache is off (`--no-cache`). */
  cache: NodeCache | null;
  /** Cache keys of nodes already materialized in this session (null: not cacheable). */
  keys: Map<string, KeySlot>;
  /** Count rows and hash every relation (runs); previews skip it. */
  stats: boolean;
  /**
   * A preview: a source that can be read lazily is (a view over its files, so a LIMIT reads
   * only the first rows), neither looked up in the cache nor stored, and its key is computed
   * only if a node downstream asks for it (a table looked up in the cache): a preview of a view
   * over a large source never hashes its files.
   */
  preview?: boolean;
  /** Hash views too (computing each once more). */
  hashViews?: boolean;
  /**
   * Count views' rows (computing each once more). By default a run records a view's cache key
   * and no row count: counting was about 5 % of a cold run of the template (bench figure 1a).
   */
  countViews?: boolean;
  /**
   * Hash intermediate tables' rows too. By default a table records its row count only: the
   * audit trail's evidence is the inputs' SHA-256/ETags (in the record and the cache keys) and
   * the published outputs' hashes, and hashing every staged table cost a cold run about 10 %.
   */
  hashTables?: boolean;
  reportRows: (rows: number) => void;
  warn: (message: string, what?: 'retry') => void;
  /** Incremental sources' kept values (watermarks, objects read); absent: none read or kept. */
  states?: SourceStates;
}

/**
 * A node's cache key (null: not cacheable), or how to compute it when first asked: a source a
 * preview reads lazily leaves a function here, called at most once.
 */
export type KeySlot = string | null | (() => Promise<string | null>);

export function resolveKey(slot: KeySlot | undefined): Promise<string | null> {
  return typeof slot === 'function' ? slot() : Promise.resolve(slot ?? null);
}

/** A key computed on the first call only (later calls share it, failures included). */
export function keyOnce(compute: () => Promise<string | null>): () => Promise<string | null> {
  let made: Promise<string | null> | null = null;
  return () => (made ??= compute());
}

export interface Materialized extends NodeOutcome {
  cached: boolean;
  cacheKey: string | null;
}

export function runContext(p: PlannedNode, env: MaterializeEnv): RunContext<unknown> {
  return {
    ...p.ctx,
    conn: env.conn,
    signal: env.signal,
    scratchDir: env.scratchDir,
    reportRows: env.reportRows,
    warn: env.warn,
    secrets: env.secrets,
    engine: env.engine,
    environment: env.environment,
    params: env.params,
    useCache: env.cache !== null,
    ...(env.states ? { state: env.states.access(p.node.id, p.node.name) } : {}),
    connection: (name, lookup = env.secrets) => resolveConnection(name, connectionSpecFor(p.ctx.workspace, env.environment, name), lookup),
  };
}

/**
 * The parameters a node's result depends on: those its own SQL reads (upstream ones are in its
 * inputs' keys), so a new value of a parameter a source never reads does not store it again.
 */
export function paramsRead(p: PlannedNode, params: Record<string, ParamValue>): Record<string, ParamValue> {
  const used = p.guard?.variables;
  if (used === null || used === undefined) return params;
  return Object.fromEntries(used.filter((n) => n in params).map((n) => [n, params[n]!]));
}

/** Whether a preview reads this node lazily (a source with preview statements): see `MaterializeEnv.preview`. */
export function readLazily(p: PlannedNode, env: Pick<MaterializeEnv, 'preview'>): boolean {
  return Boolean(env.preview && p.runtime.previewStatements);
}

export async function cacheKeyFor(p: PlannedNode, ctx: RunContext<unknown>, env: MaterializeEnv): Promise<{ key: string | null; inputs?: NodeOutcome['inputs'] }> {
  // One after another: an input's key may still have to be computed, on the one connection.
  const inputKeys: { name: string; key: string }[] = [];
  for (const i of p.ctx.inputs) {
    const key = await resolveKey(env.keys.get(i.id));
    if (key === null) return { key: null };
    inputKeys.push({ name: i.name, key });
  }
  let fingerprint: string | undefined;
  let inputs: NodeOutcome['inputs'];
  if (p.runtime.fingerprint) {
    // What a source reads, even one with inputs (an http source asking once per input value).
    const fp = await p.runtime.fingerprint(ctx);
    if (fp.fingerprint === null) return { key: null, inputs: fp.inputs };
    fingerprint = fp.fingerprint;
    inputs = fp.inputs;
  } else if (p.ctx.inputs.length === 0 && !p.runtime.selfContained) {
    // A source is only as cacheable as what it reads is identifiable.
    return { key: null };
  }
  const key = nodeCacheKey({
    kind: p.node.kind,
    name: p.node.name,
    config: p.ctx.config,
    inputs: inputKeys,
    params: paramsRead(p, env.params),
    fingerprint,
    engine: duckdbVersion(),
  });
  return { key, inputs };
}

/** Whether the cache could hold anything of this node: a table, a view's note in a run, a sink's receipt. */
function mayBeKept(p: PlannedNode, env: MaterializeEnv): boolean {
  if (!env.cache) return false;
  const relation = p.compiled.relation;
  if (relation === 'none') return Boolean(p.runtime.upToDate);
  return Boolean(p.runtime.cacheable) && (relation === 'table' || (relation === 'view' && env.stats));
}

/**
 * Makes one node's relation exist in the session, from the cache when its key matches a
 * stored result, otherwise by running it and storing what the next run can reuse:
 * - a table: its rows as Parquet, served back as a view over the file;
 * - a view: its row count and hash (re-creating the view is free; counting it is not);
 * - a sink that can tell whether its target is untouched: a receipt of what it published.
 * Runs and previews both come through here, which is what lets them share the cache.
 */
export async function materializeNode(p: PlannedNode, env: MaterializeEnv): Promise<Materialized> {
  if (env.signal.aborted) throw new WeirError('cancelled', 'cancelled');
  // The sandbox's check (plan-guard.ts) comes first, whoever asks for the node.
  if (!p.guard) throw new WeirError('internal', `node "${p.node.name}" was not checked by the sandbox before running`);
  const ctx = runContext(p, env);
  if (readLazily(p, env) && p.runtime.previewStatements) {
    for (const s of await p.runtime.previewStatements(ctx)) await env.conn.run(s);
    env.keys.set(p.node.id, keyOnce(async () => (await cacheKeyFor(p, ctx, env)).key));
    return { rows: null, cached: false, cacheKey: null };
  }
  const relation = p.compiled.relation;
  if (env.preview && !p.runtime.run && !mayBeKept(p, env)) {
    // Nothing to look up or store (a plain view in a preview): the key waits until a node downstream
    // asks, so a preview of views over a large source never hashes its files.
    for (const s of p.compiled.statements) await env.conn.run(s);
    env.keys.set(p.node.id, keyOnce(async () => (await cacheKeyFor(p, ctx, env)).key));
    return { rows: null, cached: false, cacheKey: null };
  }
  const { key, inputs: fingerprintInputs } = await cacheKeyFor(p, ctx, env);
  env.keys.set(p.node.id, key);
  const cache = key ? env.cache : null;
  const keepsTable = Boolean(cache && p.runtime.cacheable && relation === 'table');
  const keepsView = Boolean(cache && p.runtime.cacheable && relation === 'view' && env.stats);
  const keepsReceipt = Boolean(cache && relation === 'none' && p.runtime.upToDate);
  const hitInputs = (inputs: NodeOutcome['inputs']) => inputs?.map((i) => ({ ...i, cacheHit: true }));

  if (cache && key) {
    if (keepsTable) {
      const hit = await cache.lookup(key);
      if (hit) {
        await env.conn.run(NodeCache.viewOver(p.node.name, hit));
        env.reportRows(hit.rows);
        const inputs = hitInputs(fingerprintInputs ?? hit.inputs);
        // Stored without a hash (tables are hashed only when asked): hashed now if this run asks.
        let outputHash: string | null = hit.outputHash || null;
        if (!outputHash && env.hashTables && env.stats) outputHash = (await relationStats(env.conn, p.node.name)).hash;
        return { rows: hit.rows, outputHash, ...(inputs ? { inputs } : {}), cached: true, cacheKey: key };
      }
    } else if (keepsView) {
      const note = await cache.lookupNote(key, 'view');
      if (note) {
        for (const s of p.compiled.statements) await env.conn.run(s);
        if (note.rows !== null) env.reportRows(note.rows);
        return { rows: note.rows, outputHash: note.outputHash, cached: true, cacheKey: key };
      }
    } else if (keepsReceipt && p.runtime.upToDate) {
      const note = await cache.lookupNote(key, 'receipt');
      if (note?.outputs && (await p.runtime.upToDate(ctx, note.outputs))) {
        if (note.rows !== null) env.reportRows(note.rows);
        return { rows: note.rows, outputHash: note.outputHash, outputs: note.outputs, cached: true, cacheKey: key };
      }
    }
  }

  let outcome: NodeOutcome;
  if (p.runtime.run) outcome = await p.runtime.run(ctx);
  else {
    for (const s of p.compiled.statements) await env.conn.run(s);
    outcome = { rows: null };
  }
  const counted = relation === 'table' || (relation === 'view' && Boolean(env.countViews || env.hashViews));
  const needsStats = counted && outcome.outputHash === undefined && (env.stats || keepsTable);
  const hashIt = relation === 'view' ? env.hashViews : env.hashTables;
  if (needsStats && !hashIt) {
    const rows = await relationRowCount(env.conn, p.node.name);
    outcome = { ...outcome, rows, outputHash: null };
    env.reportRows(rows);
  } else if (needsStats) {
    const stats = await relationStats(env.conn, p.node.name);
    outcome = { ...outcome, rows: stats.rows, outputHash: stats.hash };
    env.reportRows(stats.rows);
  }
  if (cache && key && !outcome.blocking) {
    try {
      if (keepsTable) {
        await cache.store(env.conn, p.node.name, {
          key,
          rows: outcome.rows ?? 0,
          outputHash: outcome.outputHash ?? '',
          ...(outcome.inputs ? { inputs: outcome.inputs } : {}),
        });
      } else if (keepsView) {
        await cache.storeNote({ key, form: 'view', rows: outcome.rows, outputHash: outcome.outputHash ?? null });
      } else if (keepsReceipt && outcome.publication) {
        // A receipt says what is published: stored only once the publish phase committed it.
        const pub = outcome.publication;
        const { rows, outputHash } = outcome;
        outcome = {
          ...outcome,
          publication: {
            ...pub,
            commit: async () => {
              const done = await pub.commit();
              await cache
                .storeNote({ key, form: 'receipt', rows, outputHash: outputHash ?? null, outputs: done.outputs })
                .catch((e: unknown) => env.warn(`could not store the result in the cache: ${(e as Error).message.split('\n')[0]}`));
              return done;
            },
          },
        };
      } else if (keepsReceipt && outcome.outputs) {
        await cache.storeNote({ key, form: 'receipt', rows: outcome.rows, outputHash: outcome.outputHash ?? null, outputs: outcome.outputs });
      }
    } catch (e) {
      // A full disk or a read-only workspace must not fail the run: the cache is an optimisation.
      env.warn(`could not store the result in the cache: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { ...outcome, cached: false, cacheKey: key };
}
