import { WeirError } from '../../../shared/errors';
import type { CompileContext } from './types';

/** The name of a sink's one input: the relation it writes. */
export function firstInputName(ctx: Pick<CompileContext<unknown>, 'node' | 'inputs'>): string {
  const input = ctx.inputs[0];
  if (!input) throw new WeirError('invalid', `node "${ctx.node.name}" needs an input`);
  return input.name;
}
