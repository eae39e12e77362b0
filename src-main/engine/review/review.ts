import { hostname } from 'node:os';
import { relative, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalJson } from '../../../shared/canonical-json';
import { WeirError } from '../../../shared/errors';
import { upstreamOfAll } from '../../../shared/pipeline/graph';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { REVIEW_FORMAT, REVIEW_VERSION, type ReviewCheck, type ReviewInputObject, type ReviewNode, type ReviewReport } from '../../../shared/review/schema';
import { compareChecks } from '../../../shared/review/checks';
import type { CheckResult } from '../../../shared/run/record';
import { NodeCache } from '../cache/node-cache';
import { fileHashMemoPath, nodeCacheDir } from '../cache/cache-paths';
import { lookupWith, type EngineContext } from '../context';
import { WEIR_VERSION } from '../context/version';
import { duckdbVersion } from '../duckdb/instance';
import { queryRows } from '../duckdb/session';
import { ident, literal } from '../duckdb/sql';
import { isInterrupt, nodeFailure } from '../duckdb/sql-error';
import { openRepoFor, readAtCommit, resolveRevision } from '../git/repo';
import { pipelineOnDisk, versionAt, type PipelineVersion } from '../git/versions';
import { cacheKeyFor, materializeNode, runContext, type KeySlot, type MaterializeEnv } from '../run/materialize';
import { resolveParams, setParamVariables, type ParamValue } from '../run/params';
import { planPipeline, type Plan, type PlannedNode } from '../run/plan';
import { guardPlan } from '../run/plan-guard';
import { newRunId } from '../run/run-id';
import { withSession } from '../run/session-scope';
import { allowedDirectories } from '../sandbox/allowed-dirs';
import { loadFileHashMemo, saveFileHashMemo } from '../storage/file-hash';
import { workspaceRedactor } from '../secrets/workspace-secrets';
import { pipelineWorkspace } from '../workspace/workspace';
import { diffValues } from './diff-values';
import { findImpact, type Impact } from './impact';
import { baseRunRecord, pinSource } from './pinned-inputs';
import { profileRelation } from './profile-diff';
import type { ReviewRequest } from './request';
import type { ColumnInfo } from '../duckdb/relation-stats';

type Side = 'base' | 'head';

/** What one side made of one node. */
interface Made {
  checks: CheckResult[] | null;
  error: string | null;
}

function cancelledError(): WeirError {
  return new WeirError('cancelled', 'the review was cancelled');
}

/** The head version: a revision, the designer's unsaved document, or the working copy. */
async function headVersion(req: ReviewRequest, file: string, at: (rev: string) => Promise<PipelineVersion>): Promise<{ version: PipelineVersion; rev: string | null }> {
  if (req.headDocument !== undefined) {
    const text = JSON.stringify(req.headDocument);
    return { version: { label: 'working copy', file, commit: null, text, parsed: parsePipeline(text, 'the unsaved pipeline') }, rev: null };
  }
  if (req.head) return { version: await at(req.head), rev: req.head };
  return { version: await pipelineOnDisk(file, 'working copy'), rev: null };
}

/** The request's parameters that a version declares (a parameter new in head is not the base's). */
function paramsFor(p: Pipeline, given: ReviewRequest['params']): Record<string, ParamValue> {
  return resolveParams(p.params, Object.fromEntries(Object.entries(given ?? {}).filter(([k]) => k in p.params)));
}

/** The columns a node's value diff is keyed by: `--key`, else a `unique` rule of a check reading it. */
function keyFor(node: { id: string; name: string }, head: Pipeline, keys: ReviewRequest['keys']): { key: string[]; source: 'option' | 'unique_check' } | null {
  const given = keys?.[node.name];
  if (given) return { key: given, source: 'option' };
  for (const n of head.nodes) {
    if (n.kind !== 'check' || (n.inputs[0] !== node.id && n.id !== node.id)) continue;
    const rules = (n.config as { rules?: { type?: string; columns?: unknown }[] }).rules ?? [];
    const unique = rules.find((r) => r.type === 'unique' && Array.isArray(r.columns) && r.columns.length > 0);
    if (unique) return { key: unique.columns as string[], source: 'unique_check' };
  }
  return null;
}

async function columnsOf(conn: DuckDBConnection, rel: string): Promise<ColumnInfo[]> {
  const rows = await queryRows(conn, `SELECT column_name, column_type FROM (DESCRIBE ${rel})`);
  return rows.map((c) => ({ name: String(c.column_name), type: String(c.column_type) }));
}

/**
 * `engine.review` (issue #16): base vs head of one pipeline file, over the base run's pinned
 * inputs, in one DuckDB session: the unchanged nodes the impacted ones read are made once in
 * the catalog's main schema (from the node cache where their key is there), the impacted
 * nodes of each version in a schema of their own (`base`, `head`) that reads through to
 * main. Sinks never run. Then per impacted node: schema, rows, profile, values, checks.
 */
export async function reviewPipeline(ctx: EngineContext, req: ReviewRequest): Promise<ReviewReport> {
  const signal = req.signal ?? new AbortController().signal;
  const progress = req.onProgress ?? (() => {});
  const check = () => {
    if (signal.aborted) throw cancelledError();
  };
  const file = resolve(req.file);
  const { repo, path } = await openRepoFor(ctx.processEnv, file);
  const baseRev = req.base ?? 'HEAD';
  const baseV = await versionAt(repo, path, file, baseRev);
  if (!baseV.parsed || !baseV.commit || baseV.text === null) throw new WeirError('usage', `${path} does not exist at ${baseRev}`);
  const { version: headV, rev: headRev } = await headVersion(req, file, (rev) => versionAt(repo, path, file, rev));
  if (!headV.parsed) throw new WeirError('usage', `${path} does not exist in ${headV.label}`);
  const base = baseV.parsed.pipeline;
  const head = headV.parsed.pipeline;
  let dirty = false;
  if (headRev === null) {
    const headCommitId = await resolveRevision(repo, 'HEAD').catch(() => null);
    const atHead = headCommitId ? await readAtCommit(repo, headCommitId, path) : null;
    dirty = atHead === null || canonicalJson(parsePipeline(atHead, path).pipeline) !== canonicalJson(head);
  }
  for (const name of Object.keys(req.keys ?? {})) {
    if (!head.nodes.some((n) => n.name === name)) throw new WeirError('usage', `--key names no node "${name}" in ${headV.label}`);
  }
  const workspace = pipelineWorkspace(file);
  const relFile = relative(workspace.root, file).replace(/\\/g, '/');
  const lookup = lookupWith(ctx);
  // Every value the workspace's connections could resolve to is masked in what the report says in words.
  const redactor = workspaceRedactor(workspace.file, ctx.env, (n) => ctx.processEnv[n]);
  const environment = req.environment ?? workspace.file.default_environment;
  const baseParams = paramsFor(base, req.params);
  const headParams = paramsFor(head, req.params);
  const runId = newRunId(ctx.now());
  const basePlan = planPipeline(base, workspace, runId, null, file);
  const headPlan = planPipeline(head, workspace, runId, null, file);
  const cache = new NodeCache(nodeCacheDir(workspace, ctx.settings));
  const memo = fileHashMemoPath(workspace);
  await loadFileHashMemo(memo);
  progress({ phase: 'impact', done: 0, total: 1 });

  const inputs: ReviewReport['inputs'] = { mode: 'pinned', baseRunId: null, fallbackReason: null, objects: [] };
  const made: Record<Side, Map<string, Made>> = { base: new Map(), head: new Map() };
  let impact: Impact | null = null;
  const entries = new Map<string, ReviewNode>();

  await withSession(
      { scratchPrefix: `review-${runId}-`, allowed: allowedDirectories(workspace, ctx.settings, lookup), duckdb: ctx.duckdb, signal, specs: head.params, params: headParams },
      async ({ session, scratchDir }) => {
        const conn = session.main;
        const cat = ident(session.catalog);
        await guardPlan(conn, basePlan, `${path} at ${baseV.label}`);
        await guardPlan(conn, headPlan, path);
        impact = await findImpact(conn, { nodes: basePlan.nodes, params: baseParams }, { nodes: headPlan.nodes, params: headParams });
        const impacted = new Set([...impact.direct.keys(), ...impact.downstream]);
        const sideIds = (plan: Plan) => new Set(plan.nodes.map((p) => p.node.id).filter((id) => impacted.has(id)));
        const baseIds = sideIds(basePlan);
        const headIds = sideIds(headPlan);
        const shared = new Set([...upstreamOfAll(head.nodes, headIds), ...upstreamOfAll(base.nodes, baseIds)].filter((id) => !impacted.has(id)));
        progress({ phase: 'impact', done: 1, total: 1 });
        const record = await baseRunRecord(workspace.root, relFile, baseV.commit!, baseV.text!);
        inputs.baseRunId = record?.runId ?? null;
        // Nothing to compute: no inputs are read, so none need pinning.
        if (!impacted.size) return;
        const fallbacks: string[] = [];
        if (!record) {
          const why = `no successful run of ${relFile} at ${baseV.label} is recorded in this workspace`;
          if (!req.allowCurrentInputs) throw new WeirError('node', `${why}: run the base version first (e.g. check it out and \`weir run\` it), or pass --allow-current-inputs to review over the current inputs`);
          fallbacks.push(why);
        }

        const keys = new Map<string, KeySlot>();
        const env = (schemaKeys: Map<string, KeySlot>, params: Record<string, ParamValue>): MaterializeEnv => ({
          conn,
          signal,
          scratchDir,
          environment,
          secrets: lookup,
          engine: ctx,
          params,
          cache,
          keys: schemaKeys,
          stats: false,
          reportRows: () => {},
          warn: () => {},
        });
        const setPath = (schema: string) => conn.run(`SET search_path = ${literal(schema === 'main' ? `${session.catalog}.main` : `${session.catalog}.${schema},${session.catalog}.main`)}`);
        await conn.run(`CREATE SCHEMA ${cat}."base"; CREATE SCHEMA ${cat}."head"`);

        // The unchanged nodes the impacted ones read: once, for both versions.
        await setPath('main');
        const sharedPlan = headPlan.nodes.filter((p) => shared.has(p.node.id));
        let done = 0;
        for (const p of sharedPlan) {
          check();
          progress({ phase: 'shared', node: p.node.name, done: done++, total: sharedPlan.length });
          const e = env(keys, headParams);
          if (record && p.ctx.inputs.length === 0 && !p.runtime.selfContained) {
            const pin = await pinSource(p, e, record.nodes.find((n) => n.id === p.node.id));
            inputs.objects.push(...pin.objects);
            if (pin.servedFromCache) continue;
            if (pin.problem) {
              if (!req.allowCurrentInputs) throw new WeirError('node', `the base run ${record.runId} cannot be reproduced: ${pin.problem}. Pass --allow-current-inputs to review over the current inputs`);
              fallbacks.push(pin.problem);
            }
          }
          // An unchanged check's results are not part of the review: only the rows it passes on (its first statement, the view).
          if (p.node.kind === 'check') {
            await conn.run(p.compiled.statements[0]!);
            // Its key still stands for it in the keys of the nodes below (cached tables are found by them).
            keys.set(p.node.id, (await cacheKeyFor(p, runContext(p, e), e)).key);
          }
          else if (p.compiled.relation !== 'none') await materializeNode(p, e);
        }
        if (fallbacks.length) {
          inputs.mode = 'current';
          inputs.fallbackReason = fallbacks.join('; ');
        }

        // Each version's impacted nodes, in its own schema.
        const sides: [Side, Plan, Set<string>, Record<string, ParamValue>, Record<string, ParamValue>][] = [
          ['base', basePlan, baseIds, baseParams, headParams],
          ['head', headPlan, headIds, headParams, baseParams],
        ];
        for (const [side, plan, ids, params, other] of sides) {
          await setPath(side);
          for (const name of Object.keys(other)) if (!(name in params)) await conn.run(`RESET VARIABLE ${ident(name)}`);
          await setParamVariables(conn, plan.pipeline.params, params);
          const sideKeys = new Map(keys);
          const todo = plan.nodes.filter((p) => ids.has(p.node.id) && p.compiled.relation !== 'none');
          done = 0;
          for (const p of todo) {
            check();
            progress({ phase: side, node: p.node.name, done: done++, total: todo.length });
            try {
              const out = await materializeNode(p, env(sideKeys, params));
              if (p.compiled.relation === 'view' && p.node.kind !== 'check') await asTable(conn, `${cat}.${ident(side)}`, p.node.name);
              made[side].set(p.node.id, { checks: out.checks ?? null, error: null });
            } catch (e) {
              if (signal.aborted || isInterrupt(e)) throw cancelledError();
              made[side].set(p.node.id, { checks: null, error: nodeFailure(e, p.node.name, p.node.id).error.message });
            }
          }
        }

        // The diffs, in head's graph order, then what head removed.
        await setPath('main');
        const order = [...headPlan.nodes.filter((p) => headIds.has(p.node.id)), ...basePlan.nodes.filter((p) => baseIds.has(p.node.id) && !headIds.has(p.node.id))];
        done = 0;
        for (const p of order) {
          check();
          progress({ phase: 'diff', node: p.node.name, done: done++, total: order.length });
          const b = basePlan.nodes.find((x) => x.node.id === p.node.id);
          const h = headPlan.nodes.find((x) => x.node.id === p.node.id);
          entries.set(p.node.id, await diffNode(conn, cat, { b, h, made, entries, pipeline: head, keys: req.keys }));
        }
      },
    ).catch((e: unknown) => {
      if (signal.aborted || isInterrupt(e)) throw cancelledError();
      throw redactor.maskError(e);
    });
  await saveFileHashMemo(memo).catch(() => {});
  progress({ phase: 'done', done: 1, total: 1 });
  const nodes = classify(impact, entries, headPlan, basePlan);
  for (const n of nodes) if (n.error) n.error = redactor.mask(n.error);
  if (inputs.fallbackReason) inputs.fallbackReason = redactor.mask(inputs.fallbackReason);
  const summary: ReviewReport['summary'] = {
    verdict: nodes.some((n) => n.classification === 'breaking') ? 'breaking' : nodes.length ? 'non_breaking' : 'none',
    breaking: nodes.filter((n) => n.classification === 'breaking').length,
    nonBreaking: nodes.filter((n) => n.classification === 'non_breaking').length,
    unchanged: head.nodes.filter((n) => !entries.has(n.id)).length,
    checksNewlyFailing: nodes.reduce((s, n) => s + n.checks.filter((c) => c.change === 'newly_failing').length, 0),
    checksNewlyPassing: nodes.reduce((s, n) => s + n.checks.filter((c) => c.change === 'newly_passing').length, 0),
  };
  return {
    format: REVIEW_FORMAT,
    version: REVIEW_VERSION,
    generatedAt: ctx.now().toISOString(),
    generatedBy: `${ctx.settings.user}@${hostname()}`,
    weirVersion: WEIR_VERSION,
    duckdbVersion: duckdbVersion(),
    pipeline: { file: relFile, name: head.name },
    base: { rev: baseRev, commit: baseV.commit, label: baseV.label },
    head: { rev: headRev, commit: headV.commit, dirty, label: headV.label },
    inputs: { ...inputs, objects: dedupeObjects(inputs.objects) },
    summary,
    nodes,
  };
}

function dedupeObjects(objects: ReviewInputObject[]): ReviewInputObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const k = `${o.node}\n${o.uri}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A view made a table: a view reading a parameter would read the other version's value once
 * the session's variables are set for it, and the diffs read each relation several times.
 */
async function asTable(conn: DuckDBConnection, schema: string, name: string): Promise<void> {
  const tmp = `${schema}."__weir_review_table"`;
  await conn.run(`CREATE OR REPLACE TABLE ${tmp} AS SELECT * FROM ${schema}.${ident(name)}`);
  await conn.run(`DROP VIEW ${schema}.${ident(name)}`);
  await conn.run(`ALTER TABLE ${tmp} RENAME TO ${ident(name)}`);
}

interface DiffArgs {
  b: PlannedNode | undefined;
  h: PlannedNode | undefined;
  made: Record<Side, Map<string, Made>>;
  /** The nodes diffed so far (a check or sink shows its input's). */
  entries: Map<string, ReviewNode>;
  /** Head's pipeline: the checks that declare keys. */
  pipeline: Pipeline;
  keys: ReviewRequest['keys'];
}

const emptySchema = (): ReviewNode['schema'] => ({ added: [], removed: [], retyped: [] });

/** One impacted node's evidence; its classification comes after (`classify`), once every input's is known. */
async function diffNode(conn: DuckDBConnection, cat: string, a: DiffArgs): Promise<ReviewNode> {
  const p = (a.h ?? a.b)!;
  const { id, name, kind } = p.node;
  const mb = a.made.base.get(id);
  const mh = a.made.head.get(id);
  const errors = [mb?.error ? `base: ${mb.error}` : null, mh?.error ? `head: ${mh.error}` : null].filter((x): x is string => x !== null);
  const checks: ReviewCheck[] = kind === 'check' ? compareChecks(name, a.b ? (mb?.checks ?? null) : null, a.h ? (mh?.checks ?? null) : null) : [];
  const entry: ReviewNode = {
    id, name, kind, change: 'direct', classification: 'non_breaking', reasons: [], schema: emptySchema(),
    rows: { base: null, head: null }, profile: [], values: null, checks, error: errors.length ? errors.join('; ') : null,
  };
  // A check passes its input's rows through, a sink writes them: their data is their input's.
  const input = p.ctx.inputs[0]?.id;
  if (p.compiled.relation === 'none' || kind === 'check') {
    const from = input ? a.entries.get(input) : undefined;
    if (from) Object.assign(entry, { schema: from.schema, rows: from.rows, profile: from.profile, values: from.values });
    else if (kind === 'check') {
      // Only its rules changed: the rows it passes on are the same; counted for the reader.
      const n = async (side: Side, q: PlannedNode | undefined) =>
        q && a.made[side].get(id) && !a.made[side].get(id)!.error ? Number((await queryRows(conn, `SELECT count(*)::BIGINT AS n FROM ${cat}.${ident(side)}.${ident(q.node.name)}`))[0]?.n ?? 0) : null;
      entry.rows = { base: await n('base', a.b), head: await n('head', a.h) };
    }
    return entry;
  }
  const rel = (side: Side, n: PlannedNode | undefined) => (n && a.made[side].get(id) && !a.made[side].get(id)!.error ? `${cat}.${ident(side)}.${ident(n.node.name)}` : null);
  const bRel = rel('base', a.b);
  const hRel = rel('head', a.h);
  const bCols = bRel ? await columnsOf(conn, bRel) : [];
  const hCols = hRel ? await columnsOf(conn, hRel) : [];
  if (bRel && hRel) {
    const before = new Map(bCols.map((c) => [c.name, c.type]));
    const after = new Map(hCols.map((c) => [c.name, c.type]));
    entry.schema = {
      added: hCols.filter((c) => !before.has(c.name)),
      removed: bCols.filter((c) => !after.has(c.name)),
      retyped: hCols.filter((c) => before.has(c.name) && before.get(c.name) !== c.type).map((c) => ({ name: c.name, from: before.get(c.name)!, to: c.type })),
    };
  } else if (hRel) entry.schema = { ...emptySchema(), added: hCols };
  else if (bRel) entry.schema = { ...emptySchema(), removed: bCols };
  const count = async (r: string | null) => (r ? Number((await queryRows(conn, `SELECT count(*)::BIGINT AS n FROM ${r}`))[0]?.n ?? 0) : null);
  entry.rows = { base: await count(bRel), head: await count(hRel) };
  const pb = bRel ? await profileRelation(conn, bRel, bCols) : new Map();
  const ph = hRel ? await profileRelation(conn, hRel, hCols) : new Map();
  const names = [...hCols.map((c) => c.name), ...bCols.map((c) => c.name).filter((n) => !ph.has(n))];
  entry.profile = names.map((column) => ({ column, base: pb.get(column) ?? null, head: ph.get(column) ?? null }));
  if (bRel && hRel) {
    const k = keyFor(p.node, a.pipeline, a.keys);
    if (k) {
      const missing = k.key.filter((c) => !bCols.some((x) => x.name === c) || !hCols.some((x) => x.name === c));
      if (missing.length && k.source === 'option') throw new WeirError('usage', `--key ${name}: no column ${missing.map((m) => `"${m}"`).join(', ')} on both sides of node "${name}"`);
      entry.values = await diffValues(conn, { base: bRel, head: hRel, baseColumns: bCols, headColumns: hCols, key: missing.length ? null : k.key, keySource: missing.length ? null : k.source });
    } else entry.values = await diffValues(conn, { base: bRel, head: hRel, baseColumns: bCols, headColumns: hCols, key: null, keySource: null });
  }
  return entry;
}

/**
 * Breaking or not, and why: a direct change by what its parse trees and config say (rows may
 * change, or only columns were added); a node downstream as the strongest of its impacted
 * inputs (SQLMesh's indirect changes); and, whatever the structure said, a removed or retyped
 * column or a check that newly fails. Breaking first, then graph order.
 */
function classify(impact: Impact | null, entries: Map<string, ReviewNode>, headPlan: Plan, basePlan: Plan): ReviewNode[] {
  if (!impact) return [];
  const order = [...headPlan.nodes, ...basePlan.nodes.filter((p) => !headPlan.nodes.some((h) => h.node.id === p.node.id))];
  const out: ReviewNode[] = [];
  const byId = new Map<string, ReviewNode>();
  for (const p of order) {
    const e = entries.get(p.node.id);
    if (!e) continue;
    const direct = impact.direct.get(p.node.id);
    let breaking = false;
    const reasons: string[] = [];
    if (direct) {
      e.change = direct.change;
      reasons.push(...direct.reasons);
      breaking = direct.change === 'removed' || (direct.change === 'direct' && direct.rowsMayChange);
    } else e.change = 'downstream';
    for (const i of p.node.inputs) {
      const up = byId.get(i);
      if (!up) continue;
      if (up.classification === 'breaking' && up.change !== 'added') {
        breaking = true;
        reasons.push(`downstream of ${up.name} (breaking)`);
      } else if (!direct) reasons.push(`downstream of ${up.name}`);
    }
    for (const c of e.schema.removed) reasons.push(`column ${c.name} removed`);
    for (const c of e.schema.retyped) reasons.push(`column ${c.name} retyped ${c.from} → ${c.to}`);
    if (e.change !== 'removed' && e.change !== 'added' && (e.schema.removed.length || e.schema.retyped.length)) breaking = true;
    for (const c of e.checks) {
      if (c.change === 'newly_failing') {
        breaking = true;
        reasons.push(`check ${c.rule} newly fails`);
      } else if (c.change === 'newly_passing') reasons.push(`check ${c.rule} newly passes`);
    }
    e.classification = breaking ? 'breaking' : 'non_breaking';
    e.reasons = [...new Set(reasons)];
    byId.set(p.node.id, e);
    out.push(e);
  }
  return [...out.filter((n) => n.classification === 'breaking'), ...out.filter((n) => n.classification !== 'breaking')];
}
