import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalJson } from '../../../shared/canonical-json';
import { WeirError } from '../../../shared/errors';
import { applyDelta, isEmptyDelta, type DocDelta } from '../../../shared/pipeline/doc-delta';
import { upstreamOf } from '../../../shared/pipeline/graph';
import { invalidNodesError, issuesOfNodes } from '../../../shared/pipeline/issue-place';
import { nodeKeyText } from '../../../shared/pipeline/node-key';
import { checkNodes } from '../../../shared/pipeline/parse';
import { pipelineForLot } from '../../../shared/pipeline/lot-pipeline';
import { isLotKey } from '../../../shared/pipeline/partitions';
import type { ParamSpec, Pipeline } from '../../../shared/pipeline/schema';
import { NodeCache } from '../cache/node-cache';
import { nodeCacheDir } from '../cache/cache-paths';
import { lookupWith, type EngineContext } from '../context';
import { Session } from '../duckdb/session';
import { ident, literal } from '../duckdb/sql';
import { processTag } from '../storage/owner-tag';
import type { SourceWatch } from '../nodes/types';
import { allowedDirectories, scratchRoot } from '../sandbox/allowed-dirs';
import { guardPlan, type GuardMemo } from './plan-guard';
import { findWorkspace, findWorkspaceFile, type SecretLookup, type Workspace } from '../workspace/workspace';
import { materializeNode, paramsRead, runContext, type KeySlot, type MaterializeEnv } from './materialize';
import { resolveParams, setParamVariables, type ParamValue } from './params';
import { planPipeline, type PlannedNode } from './plan';
import { PreviewTurns, type Turn } from './preview-turns';
import { newRunId } from './run-id';
import { isInterrupt, nodeFailure } from '../duckdb/sql-error';
import { SourceStates } from './source-state';

export interface NodeRequest {
  pipeline: Pipeline;
  /** The pipeline file's path: it locates the workspace (relative paths, connections). */
  file: string;
  nodeId: string;
  params?: Record<string, string | number | boolean>;
  environment?: string;
  signal?: AbortSignal;
  /** Looked up before the engine's own lookup (`${env:NAME}`). */
  secrets?: SecretLookup;
  /** False bypasses the node result cache. */
  useCache?: boolean;
  /** More nodes (ids) made in the same request, with their upstream: the column graph makes every leaf at once. */
  alsoMake?: readonly string[];
  /**
   * A partitioned pipeline's lot (the designer's lot picker): the preview runs the lot's pipeline
   * (shared/pipeline/lot-pipeline.ts), reading only that lot's inputs, with the key's variable
   * set to it. The session's stamps carry the lot (its paths, the variable), so another lot
   * makes again only its sources and what depends on them.
   */
  lot?: string;
}

/** The pipeline a request previews: the lot's, when it names one. */
function previewedPipeline(req: NodeRequest): Pipeline {
  if (req.lot === undefined) return req.pipeline;
  const spec = req.pipeline.partitions;
  if (!spec) throw new WeirError('usage', `the pipeline is not partitioned: there is no lot "${req.lot}" to preview`);
  if (!isLotKey(req.lot)) throw new WeirError('usage', `"${req.lot}" is not a lot value (letters, digits, ".", "_", "-", at most 128)`);
  return pipelineForLot(req.pipeline, spec, req.lot);
}

/** What one node's relation in the session was made from. */
interface Made {
  id: string;
  name: string;
  /** The node's key parts with session versions for what sources read (see `stampOf`). */
  stamp: string;
  /** Its cache key, or how to compute it, for nodes downstream that look themselves up. */
  key: KeySlot;
  /** A source: what tells that its files are unchanged, and the version of them it read. */
  watch?: SourceWatch;
  version?: string;
}

interface Opened {
  workspace: Workspace;
  /** The workspace file's stat when it was read: another one means read it again, and start over. */
  workspaceStamp: string;
  allowed: string[];
  session: Session;
  scratchDir: string;
  runId: string;
  /** The parameter variables set on the session's connection, as text. */
  params: string | null;
  paramNames: string[];
  /** Relations in the session's catalog, by lower-cased name (DuckDB's names ignore case). */
  made: Map<string, Made>;
  /** Every name a node was ever made under here (lower case): only those can be in the catalog. */
  names: Set<string>;
}

/**
 * The document a request is about: whole, or as edits of a revision the session was given
 * before (`base`, as `document()` answered it).
 */
export interface DocumentInput {
  pipeline?: Pipeline;
  base?: string;
  edits?: DocDelta;
}

async function closeOpened(o: Opened): Promise<void> {
  await o.session.close();
  await rm(o.scratchDir, { recursive: true, force: true });
}

/** How many documents a session keeps by revision: requests in flight, or of another window, may name an older one. */
const KEPT_REVISIONS = 8;

/** What the last request did, for tests and the bench: the nodes it (re)made and those it kept. */
export interface SessionActivity {
  made: string[];
  kept: string[];
}

/**
 * A warm preview session for one pipeline file (DESIGN, "Running"; docs/architecture.md): one
 * DuckDB session (an attached in-memory catalog on the workspace's locked instance), scratch
 * folder and parameter variables kept between previews, and for each node made in it what it
 * was made from. A preview makes again only the nodes whose stamp changed (their config, SQL,
 * name, inputs, the parameters they read, or, for a source, its files, as a cheap stat check
 * tells) and what depends on them; it drops the relations of nodes that are gone or renamed.
 * The sandbox still checks every node of every request (its passing verdicts are kept per SQL
 * text), and sources that cannot be checked cheaply (object stores, databases, APIs) are read
 * again every time, as everything downstream of them.
 *
 * Requests run one at a time, in order; the caller cancels the one in flight with its signal
 * (a new preview of the same file, in the API). Close it when the pipeline is closed, after
 * idle time, or when the workspace changes.
 */
export class PreviewSession {
  private opened: Opened | null = null;
  private readonly turns = new PreviewTurns();
  private closed = false;
  private versions = 0;
  private readonly verdicts: GuardMemo = new Map();
  /** The documents given, by revision, oldest first. */
  private readonly documents = new Map<string, Pipeline>();
  /** In every revision's name: a restarted session never takes another session's revision for its own. */
  private readonly tag = randomBytes(6).toString('hex');
  private revisions = 0;
  last: SessionActivity = { made: [], kept: [] };

  constructor(
    private readonly engine: EngineContext,
    readonly file: string,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Makes the node (and what it needs upstream; a sink stands for the rows it would write)
   * current in the session, then hands its relation to `use` on the session's connection.
   */
  withNode<T>(req: NodeRequest, use: (conn: DuckDBConnection, relation: string) => Promise<T>): Promise<T> {
    const work = (turn: Turn) => this.serve(req, use, turn);
    // A request given up on after its cancel (preview-turns.ts) is left behind with its DuckDB
    // session: that session's catalog and scratch folder are let go once its statement ends, and
    // the next request opens a new one (made from scratch, as after idle time).
    const onAbandon = (running: Promise<unknown>) => {
      const left = this.opened;
      this.opened = null;
      if (left) void running.catch(() => {}).then(() => closeOpened(left));
    };
    return this.turns.take(work, req.signal && { signal: req.signal, onAbandon });
  }

  /**
   * The document a request is about, and the revision the session keeps it under, for the next
   * request to send its edits against. Edits are applied to the document of their `base` and
   * the result checked as a whole document is (shared/pipeline/doc-delta.ts); a base the session
   * does not hold (it was closed and opened again, or the revision is too old) is refused as
   * `stale`: the caller sends the whole document once.
   */
  document(input: DocumentInput): { pipeline: Pipeline; revision: string } {
    if (input.pipeline !== undefined) {
      if (input.base !== undefined || input.edits !== undefined) throw new WeirError('usage', 'send either the whole pipeline or a base revision with its edits, not both');
      return this.keep(input.pipeline);
    }
    if (input.base === undefined || input.edits === undefined) throw new WeirError('usage', 'send the whole pipeline, or a base revision with its edits');
    const base = this.documents.get(input.base);
    if (!base) throw new WeirError('stale', `the preview session of ${this.file} does not hold revision "${input.base}" (it was closed, or the revision is too old): send the whole pipeline`);
    // The most recently used revision is the last one dropped.
    this.documents.delete(input.base);
    this.documents.set(input.base, base);
    if (isEmptyDelta(input.edits)) return { pipeline: base, revision: input.base };
    return this.keep(applyDelta(base, input.edits));
  }

  private keep(pipeline: Pipeline): { pipeline: Pipeline; revision: string } {
    const revision = `${this.tag}-${++this.revisions}`;
    this.documents.set(revision, pipeline);
    for (const old of this.documents.keys()) {
      if (this.documents.size <= KEPT_REVISIONS) break;
      this.documents.delete(old);
    }
    return { pipeline, revision };
  }

  /** Closes the session once the request in flight has settled (cancel it first to make that quick). */
  close(): Promise<void> {
    this.closed = true;
    return this.turns.take(() => this.shut());
  }

  private async serve<T>(asked: NodeRequest, use: (conn: DuckDBConnection, relation: string) => Promise<T>, turn: Turn): Promise<T> {
    const req = { ...asked, pipeline: previewedPipeline(asked) };
    const signal = req.signal ?? new AbortController().signal;
    if (this.closed || signal.aborted) throw new WeirError('cancelled', 'preview cancelled');
    if (req.file !== this.file) throw new WeirError('internal', `a preview of ${req.file} was sent to the session of ${this.file}`);
    const target = req.pipeline.nodes.find((n) => n.id === req.nodeId);
    if (!target) throw new WeirError('usage', `no node with id "${req.nodeId}"`);
    // What the designer's own checks find about the nodes this computes (a config its kind
    // refuses, missing inputs, a cycle) is refused as the file's fault, in words.
    const targets = [target, ...(req.alsoMake ?? []).flatMap((id) => req.pipeline.nodes.filter((n) => n.id === id && n.id !== target.id))];
    const computed = new Set(targets.flatMap((t) => [...upstreamOf(req.pipeline.nodes, t.id), t.id]));
    const invalid = issuesOfNodes(req.pipeline, checkNodes(req.pipeline), computed);
    if (invalid.length) throw invalidNodesError(req.pipeline, invalid);
    const lookup = lookupWith(this.engine, req.secrets);
    const activity: SessionActivity = { made: [], kept: [] };
    this.last = activity;
    let current = target.name;
    let opened: Opened | null = null;
    const onAbort = () => opened?.session.interrupt();
    signal.addEventListener('abort', onAbort);
    try {
      opened = await this.ready(lookup, turn);
      const environment = req.environment ?? opened.workspace.file.default_environment;
      const params = resolveParams(req.pipeline.params, req.params ?? {});
      await this.setParams(opened, req.pipeline.params, params);
      const plan = planPipeline(req.pipeline, opened.workspace, opened.runId, targets.map((t) => `+${t.name}`).join(' '), this.file);
      const steps = plan.nodes.filter((p) => p.compiled.relation !== 'none');
      const targetPlan = plan.nodes.find((p) => p.node.id === target.id);
      const shownName = targetPlan?.compiled.relation === 'none' ? (targetPlan.ctx.inputs[0]?.name ?? target.name) : target.name;
      await guardPlan(opened.session.main, { ...plan, nodes: steps }, this.file, this.verdicts);
      await this.forgetGone(opened, req.pipeline);
      const env: MaterializeEnv = {
        conn: opened.session.main,
        signal,
        scratchDir: opened.scratchDir,
        environment,
        secrets: lookup,
        engine: this.engine,
        params,
        cache: req.useCache === false ? null : new NodeCache(nodeCacheDir(opened.workspace, this.engine.settings)),
        keys: new Map(),
        stats: false,
        preview: true,
        // A preview reads from where the next run would (an http source's watermark) and keeps nothing.
        states: new SourceStates(SourceStates.dirFor(opened.workspace, environment, this.file), true),
        reportRows: () => {},
        warn: () => {},
      };
      const stamps = new Map<string, string | null>();
      for (const p of steps) {
        current = p.node.name;
        turn.check();
        await this.bring(opened, p, env, stamps, activity);
      }
      current = shownName;
      turn.check();
      return await use(opened.session.main, shownName);
    } catch (e) {
      if (e instanceof WeirError) throw e;
      if (signal.aborted || isInterrupt(e)) throw new WeirError('cancelled', 'preview cancelled');
      throw nodeFailure(e, current, req.pipeline.nodes.find((n) => n.name === current)?.id).error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The open session, opened (again) when there is none or the workspace's file or folders changed. */
  private async ready(lookup: SecretLookup, turn: Turn): Promise<Opened> {
    const start = dirname(this.file);
    const stamp = await workspaceStamp(start);
    // A request given up on (preview-turns.ts) must neither take nor shut the next request's session.
    turn.check();
    if (this.opened && this.opened.workspaceStamp === stamp) {
      const allowed = allowedDirectories(this.opened.workspace, this.engine.settings, lookup);
      if (sameList(allowed, this.opened.allowed)) return this.opened;
    }
    await this.shut();
    turn.check();
    const workspace = findWorkspace(start);
    const allowed = allowedDirectories(workspace, this.engine.settings, lookup);
    const session = await Session.open(await this.engine.duckdb(allowed));
    try {
      await mkdir(scratchRoot(), { recursive: true, mode: 0o700 });
      // `preview-w<host>-<pid>-XXXXXX`: a killed process's folder says it is gone (gc/temp-litter.ts).
      const scratchDir = await mkdtemp(join(scratchRoot(), `preview-${processTag()}-`));
      const opened: Opened = { workspace, workspaceStamp: stamp, allowed, session, scratchDir, runId: newRunId(), params: null, paramNames: [], made: new Map(), names: new Set() };
      if (turn.abandoned) {
        // Given up on while it opened this one: nobody's, so closed, and the request ends cancelled.
        await closeOpened(opened);
        turn.check();
      }
      this.opened = opened;
      return opened;
    } catch (e) {
      await session.close();
      throw e;
    }
  }

  private async shut(): Promise<void> {
    const o = this.opened;
    this.opened = null;
    if (o) await closeOpened(o);
  }

  /** Sets the parameters as DuckDB variables when they differ from those set (and unsets the ones gone). */
  private async setParams(o: Opened, specs: Record<string, ParamSpec>, params: Record<string, ParamValue>): Promise<void> {
    const text = canonicalJson({ types: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.type])), params });
    if (o.params === text) return;
    o.params = null;
    for (const name of o.paramNames) if (!(name in params)) await o.session.main.run(`RESET VARIABLE ${ident(name)}`);
    await setParamVariables(o.session.main, specs, params);
    o.paramNames = Object.keys(params);
    o.params = text;
  }

  /** Drops the relations of nodes that are no longer in the pipeline, or no longer under that name. */
  private async forgetGone(o: Opened, pipeline: Pipeline): Promise<void> {
    const names = new Map(pipeline.nodes.map((n) => [n.id, n.name]));
    for (const [slot, m] of o.made) {
      if (names.get(m.id) === m.name) continue;
      o.made.delete(slot);
      await dropRelation(o, m.name);
    }
  }

  /** Keeps the node's relation when its stamp is the one it was made with; makes it (again) otherwise. */
  private async bring(o: Opened, p: PlannedNode, env: MaterializeEnv, stamps: Map<string, string | null>, activity: SessionActivity): Promise<void> {
    const { id, name } = p.node;
    const slot = name.toLowerCase();
    const had = o.made.get(slot);
    const mine = had?.id === id && had.name === name ? had : undefined;
    const source = p.ctx.inputs.length === 0 && !p.runtime.selfContained;
    const inputStamps = p.ctx.inputs.map((i) => stamps.get(i.id) ?? null);
    // Stable: made from what the session can tell is unchanged (a source it can watch, inputs that are stable).
    const stable = inputStamps.every((s) => s !== null) && (!source || Boolean(p.runtime.watch));
    const stampOf = (version: string | undefined) => stamp(p, env, inputStamps as string[], source ? `${env.environment}\n${version}` : undefined);
    if (stable && mine) {
      const version = source ? (mine.version && mine.watch && (await mine.watch.unchanged()) ? mine.version : undefined) : undefined;
      if (!source || version) {
        const s = stampOf(version);
        if (s === mine.stamp) {
          stamps.set(id, s);
          env.keys.set(id, mine.key);
          activity.kept.push(name);
          return;
        }
      }
    }
    o.made.delete(slot);
    await dropRelation(o, name);
    let watch: SourceWatch | undefined;
    let version: string | undefined;
    if (stable && source && p.runtime.watch) {
      // Before the node reads its files: a change from here on shows as a change.
      watch = await p.runtime.watch(runContext(p, env));
      version = `v${++this.versions}`;
    }
    o.names.add(slot);
    await materializeNode(p, env);
    activity.made.push(name);
    const s = stable ? stampOf(version) : null;
    stamps.set(id, s);
    if (s) o.made.set(slot, { id, name, stamp: s, key: env.keys.get(id) ?? null, ...(watch ? { watch, version } : {}) });
  }
}

/**
 * A node's stamp: its key parts (shared/pipeline/node-key.ts) with its inputs' stamps in place
 * of their keys and, for a source, the session's version of its files in place of their
 * hashes; and the relation it is made as (a fan-out turns a view into a table).
 */
function stamp(p: PlannedNode, env: MaterializeEnv, inputStamps: string[], fingerprint: string | undefined): string {
  const text = nodeKeyText({
    kind: p.node.kind,
    name: p.node.name,
    config: p.ctx.config,
    inputs: p.ctx.inputs.map((i, k) => ({ name: i.name, key: inputStamps[k]! })),
    params: paramsRead(p, env.params),
    ...(fingerprint !== undefined ? { fingerprint } : {}),
  });
  return createHash('sha256').update(`${text}\n${p.compiled.relation}`).digest('hex');
}

/** Drops whatever the session's catalog holds under `name` (a view or a table), so it can be made again as either. */
async function dropRelation(o: Opened, name: string): Promise<void> {
  if (!o.names.delete(name.toLowerCase())) return;
  const catalog = literal(o.session.catalog);
  const reader = await o.session.main.runAndReadAll(
    `SELECT 'VIEW' FROM duckdb_views() WHERE database_name = ${catalog} AND schema_name = 'main' AND lower(view_name) = lower($1) AND NOT internal
     UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE database_name = ${catalog} AND schema_name = 'main' AND lower(table_name) = lower($1)`,
    [name],
  );
  for (const [kind] of reader.getRows()) await o.session.main.run(`DROP ${String(kind)} IF EXISTS ${ident(name)}`);
}

/** The workspace file that applies to `start` and its stat: another file, or the same one changed, reads differently. */
async function workspaceStamp(start: string): Promise<string> {
  const file = findWorkspaceFile(start);
  if (!file) return 'none';
  const st = await stat(file, { bigint: true }).catch(() => null);
  return st ? `${file}\n${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : `${file}\nmissing`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `use` in `session` when given, else in a session of its own, closed after it. */
export async function inSession<T>(
  engine: EngineContext,
  req: NodeRequest,
  session: PreviewSession | undefined,
  use: (conn: DuckDBConnection, relation: string) => Promise<T>,
): Promise<T> {
  if (session) return session.withNode(req, use);
  const own = new PreviewSession(engine, req.file);
  try {
    return await own.withNode(req, use);
  } finally {
    await own.close();
  }
}
