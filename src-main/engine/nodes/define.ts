import type { z } from 'zod';
import type { CompileAt, NodeKind } from '../../../shared/nodes/define';
import type { CompileContext, NodeRuntime } from './types';

/** The config type of a definition, as its schema parses it. */
type ConfigOf<D extends NodeKind> = z.output<D['config']>;

/**
 * What a kind's engine half adds to its definition. Compile and the sandbox's queries are the
 * definition's own (one SQL for `weir plan`, the designer and the run); the engine may say where
 * a path of the config really is, which only it knows.
 */
export type RuntimeInit<C> = Omit<NodeRuntime<C>, 'kind' | 'definition' | 'compile' | 'queries'> & {
  /** Where the engine reads or writes a path the config names (checked inside the workspace; throws otherwise). */
  filePath?(ctx: CompileContext<C>, path: string): string;
};

/** A runtime of the kind named `K`, typed against its definition. */
export type KindRuntime<K extends string, C> = NodeRuntime<C> & { kind: K; definition: NodeKind<K, C> };

/** What a definition's compile is given in the engine: names from the plan, and the run's id and paths. */
export function compileAt<C>(ctx: CompileContext<C>, filePath?: (path: string) => string): CompileAt {
  return {
    nodeName: ctx.node.name,
    nodeId: ctx.node.id,
    inputNames: ctx.inputs.map((i) => i.name),
    fanOut: ctx.fanOut,
    runId: ctx.runId,
    ...(filePath ? { filePath } : {}),
  };
}

/**
 * The engine half of a node kind (docs/node-kinds.md): typed against its definition, so a
 * runtime whose config type does not match its kind's does not compile.
 */
export function defineNodeRuntime<D extends NodeKind>(
  definition: D & NodeKind<D['kind'], ConfigOf<D>>,
  init: RuntimeInit<ConfigOf<D>>,
): KindRuntime<D['kind'], ConfigOf<D>> {
  type C = ConfigOf<D>;
  const { filePath, ...rest } = init;
  const def: NodeKind<D['kind'], C> = definition;
  const at = (ctx: CompileContext<C>) => compileAt(ctx, filePath ? (p) => filePath(ctx, p) : undefined);
  const queries = def.queries?.bind(def);
  return {
    ...rest,
    kind: def.kind,
    definition: def,
    compile: (ctx) => def.compile(ctx.config, at(ctx)),
    ...(queries ? { queries: (ctx: CompileContext<C>) => queries(ctx.config, at(ctx)) } : {}),
  };
}
