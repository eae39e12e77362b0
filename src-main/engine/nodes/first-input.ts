import { firstInput } from '../../../shared/nodes/relation-sql';
import type { CompileContext } from './types';

/** The name of a sink's one input: the relation it writes. */
export function firstInputName(ctx: Pick<CompileContext<unknown>, 'node' | 'inputs'>): string {
  return firstInput({ nodeName: ctx.node.name, inputNames: ctx.inputs.map((i) => i.name) });
}
