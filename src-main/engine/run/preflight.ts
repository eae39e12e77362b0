import { PipelineInvalidError, WeirError, jsonPath } from '../../../shared/errors';
import { ruleNames, type CheckConfig } from '../../../shared/nodes/check';
import { roleFields } from '../../../shared/nodes/field-roles';
import { fieldRolesOf, nodeKindSpec } from '../../../shared/nodes/registry';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import { invalidNodesError } from '../../../shared/pipeline/issue-place';
import { paramDefaultProblems, paramValueProblems } from './params';
import type { EngineContext } from '../context';
import { environmentNames, type Workspace } from '../workspace/workspace';
import { httpSecrets, sandboxPaths, sandboxSql } from './preflight-sandbox';
import type { GuardMemo } from './plan-guard';

/**
 * The checks a run makes before it touches any data, as one list that `weir validate` and the
 * run itself both call, so validate cannot say "valid" about what a run then refuses. Each
 * check is a function returning problems; add new ones to `preflightChecks`.
 */

export interface Problem {
  /**
   * 'usage': the command line is wrong (an --env or --param); 'invalid': the file (or the
   * workspace) is. Both stop the run before it starts (exit code 2).
   */
  kind: 'usage' | 'invalid';
  /** The JSON path in the pipeline file, such as `nodes[3].config.rules[0].to`; '' for the command line. */
  path: string;
  message: string;
  nodeId?: string;
  nodeName?: string;
}

export interface PreflightOptions {
  /** `--env`; absent means the workspace's default environment. */
  environment?: string;
  /** `--param` values, before they are typed. */
  params?: Record<string, string | number | boolean>;
  /**
   * A run's sandbox verdicts: the nodes that pass are noted here, and the run's own check of its
   * plan (plan-guard.ts) does not parse them again.
   */
  guardMemo?: GuardMemo;
}

export interface PreflightContext {
  pipeline: Pipeline;
  /** The pipeline file's absolute path, when it came from a file. */
  file: string | null;
  workspace: Workspace;
  /** The environment the run uses: the one asked for, else the workspace's default. */
  environment: string;
  /** True when the environment was asked for (`--env`), not defaulted. */
  environmentGiven: boolean;
  params: Record<string, string | number | boolean>;
  /** The engine's context: the SQL checks parse with its DuckDB. */
  engine: EngineContext;
  /** See `PreflightOptions.guardMemo`. */
  guardMemo?: GuardMemo;
}

export type PreflightCheck = (ctx: PreflightContext) => Problem[] | Promise<Problem[]>;

const nodeRef = (node: PipelineNode) => ({ nodeId: node.id, nodeName: node.name });

/** Parameter defaults against their types; the file's fault even when the command line overrides them. */
export const paramDefaults: PreflightCheck = (ctx) =>
  paramDefaultProblems(ctx.pipeline.params).map((p) => ({ kind: 'invalid', path: p.path ?? '', message: p.message }));

/** `--param` values: known names, values that fit their types, a value for every parameter without a default. */
export const paramValues: PreflightCheck = (ctx) =>
  paramValueProblems(ctx.pipeline.params, ctx.params).map((p) => ({ kind: 'usage', path: '', message: p.message }));

function noEnvironment(ws: Workspace, env: string): string {
  if (!ws.filePath) return `no environment "${env}": there is no weir.workspace.json in ${ws.root} or above it`;
  const known = environmentNames(ws);
  return `no environment "${env}" in ${ws.filePath}${known.length ? ` (environments: ${known.join(', ')})` : ' (it defines none)'}`;
}

/** An environment asked for with --env must exist (a run must never record one that does not). */
export const environmentName: PreflightCheck = (ctx) =>
  ctx.environmentGiven && !Object.hasOwn(ctx.workspace.file.environments, ctx.environment)
    ? [{ kind: 'usage', path: '', message: noEnvironment(ctx.workspace, ctx.environment) }]
    : [];

/** Every connection a node names exists in the run's environment, and is of a kind the node can use. */
export const connections: PreflightCheck = (ctx) => {
  const out: Problem[] = [];
  const envs = ctx.workspace.file.environments;
  const env = Object.hasOwn(envs, ctx.environment) ? envs[ctx.environment] : undefined;
  // An unknown --env is reported once by environmentName; naming it again per node adds nothing.
  if (!env && ctx.environmentGiven) return out;
  ctx.pipeline.nodes.forEach((node, i) => {
    // The kinds of connection a node kind accepts, and which of its fields name one, are its definition's.
    const accepted = nodeKindSpec(node.kind)?.connectionKinds ?? [];
    for (const field of roleFields(fieldRolesOf(node.kind), node.config, (r) => r.type === 'connection')) {
      if (typeof field.value === 'string') checkConnection(node, i, field.path, field.value, accepted);
    }
  });
  return out;

  function checkConnection(node: PipelineNode, i: number, at: (string | number)[], name: string, accepted: readonly string[]): void {
    const path = jsonPath(['nodes', i, 'config', ...at]);
    const who = `node "${node.name}"`;
    if (!env) {
      out.push({ kind: 'invalid', path, ...nodeRef(node), message: `${who} uses connection "${name}", but ${noEnvironment(ctx.workspace, ctx.environment)}` });
      return;
    }
    const spec = Object.hasOwn(env.connections, name) ? env.connections[name] : undefined;
    if (!spec) {
      const known = Object.keys(env.connections);
      out.push({
        kind: 'invalid',
        path,
        ...nodeRef(node),
        message: `${who} uses connection "${name}", which environment "${ctx.environment}" does not define${known.length ? ` (connections: ${known.join(', ')})` : ''}`,
      });
    } else if (!accepted.includes(spec.kind)) {
      out.push({
        kind: 'invalid',
        path,
        ...nodeRef(node),
        message: `${who} uses connection "${name}", a ${spec.kind} connection in environment "${ctx.environment}"; a ${node.kind} node needs ${accepted.join(' or ')}`,
      });
    }
  }
};

/**
 * A check's relationship rule reads another node by name; it must be one of the check's inputs,
 * or the graph could run the check before that node exists (the same rule the check runtime applies).
 */
export const relationshipTargets: PreflightCheck = (ctx) => {
  const out: Problem[] = [];
  if (!ctx.pipeline.nodes.some((n) => n.kind === 'check')) return out;
  const byId = new Map(ctx.pipeline.nodes.map((n) => [n.id, n]));
  ctx.pipeline.nodes.forEach((node, i) => {
    if (node.kind !== 'check') return;
    const parsed = nodeKindSpec('check')?.config.safeParse(node.config);
    if (!parsed?.success) return; // the loader reports a config that does not parse
    const config = parsed.data as CheckConfig;
    const inputNames = new Set(node.inputs.map((id) => (byId.get(id)?.name ?? id).toLowerCase()));
    const names = ruleNames(config.rules);
    config.rules.forEach((rule, j) => {
      if (rule.type !== 'relationship' || inputNames.has(rule.to.toLowerCase())) return;
      out.push({
        kind: 'invalid',
        path: jsonPath(['nodes', i, 'config', 'rules', j, 'to']),
        ...nodeRef(node),
        message: `check node "${node.name}", rule "${names[j]}": "${rule.to}" must also be an input of the check node (add it to its inputs)`,
      });
    });
  });
  return out;
};

/** Parameters a kind reads outside SQL (an http source's `{{ params.name }}`) must be parameters of the pipeline. */
export const declaredParams: PreflightCheck = (ctx) => {
  const out: Problem[] = [];
  ctx.pipeline.nodes.forEach((node, i) => {
    const spec = nodeKindSpec(node.kind);
    if (!spec?.params) return;
    const parsed = spec.config.safeParse(node.config);
    if (!parsed.success) return; // the loader reports a config that does not parse
    for (const name of spec.params(parsed.data)) {
      if (Object.hasOwn(ctx.pipeline.params, name)) continue;
      const known = Object.keys(ctx.pipeline.params);
      out.push({
        kind: 'invalid',
        path: jsonPath(['nodes', i, 'config']),
        ...nodeRef(node),
        message: `node "${node.name}": {{ params.${name} }} names no parameter of the pipeline${known.length ? ` (parameters: ${known.join(', ')})` : ''}`,
      });
    }
  });
  return out;
};

/**
 * Every check, in the order problems are reported: the file's own consistency first, then what
 * the command line asked for. The engine's SQL and path checks join this list.
 */
export const preflightChecks: PreflightCheck[] = [paramDefaults, declaredParams, relationshipTargets, sandboxPaths, sandboxSql, httpSecrets, environmentName, paramValues, connections];

/** Every problem a run would stop on before touching data; an empty list means it may start. */
export async function preflight(
  engine: EngineContext,
  loaded: { pipeline: Pipeline; path?: string },
  workspace: Workspace,
  options: PreflightOptions = {},
  checks: readonly PreflightCheck[] = preflightChecks,
): Promise<Problem[]> {
  const ctx: PreflightContext = {
    pipeline: loaded.pipeline,
    file: loaded.path ?? null,
    workspace,
    environment: options.environment ?? workspace.file.default_environment,
    environmentGiven: options.environment !== undefined,
    params: options.params ?? {},
    engine,
    ...(options.guardMemo ? { guardMemo: options.guardMemo } : {}),
  };
  const out: Problem[] = [];
  // A loop, not push(...found): a check may find one problem per node of a 100,000-node file.
  for (const check of checks) {
    for (const p of await check(ctx)) out.push(p);
    // A turn of the event loop between checks: a Ctrl-C during a big file is handled at once.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/**
 * The problems as one error (one line: the first problem, and how many more): a usage error
 * when the first is the command line's, else the file's, named by `source`.
 */
export function preflightError(problems: readonly Problem[], source: string, pipeline?: Pipeline): WeirError | null {
  const first = problems[0];
  if (!first) return null;
  if (first.kind === 'usage') {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    return new WeirError('usage', `${first.message}${more}`, { nodeId: first.nodeId, nodeName: first.nodeName });
  }
  const issues = problems.map((p) => ({ path: p.path, message: p.message }));
  if (!pipeline) return new PipelineInvalidError(source, issues);
  // Worded as the designer words it: the node's kind and name and the field's label, not a JSON path.
  const worded = invalidNodesError(pipeline, issues, source);
  return new PipelineInvalidError(source, issues, `${source}: ${worded.message}`, worded.details);
}

/** `preflight`, throwing its problems as one error: what a run calls before it starts. */
export async function assertPreflight(
  engine: EngineContext,
  loaded: { pipeline: Pipeline; path?: string },
  workspace: Workspace,
  options: PreflightOptions = {},
  source = loaded.path ?? 'pipeline',
  checks: readonly PreflightCheck[] = preflightChecks,
): Promise<void> {
  const error = preflightError(await preflight(engine, loaded, workspace, options, checks), source, loaded.pipeline);
  if (error) throw error;
}
