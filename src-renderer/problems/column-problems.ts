import { roleFields } from '../../shared/nodes/field-roles';
import { fieldRolesOf } from '../../shared/nodes/registry';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';
import { jsonPath } from '../../shared/errors';
import { nodeProblem, type Problem } from './problem';

/** The kinds whose settings name columns of their inputs (a join's keys, a check's column...). */
export function namesInputColumns(kind: string): boolean {
  return Object.values(fieldRolesOf(kind)).some((r) => r?.type === 'column' && 'input' in r);
}

/** `a, b, c` and how many more, for a message about a wide input. */
function someColumns(names: readonly string[], max = 8): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length} columns)`;
}

/**
 * Fields that name a column of an input that the input does not have, as its kind declares
 * them (field roles: `on[].left` names a column of input 0): a join's default `id = id` over
 * inputs without an `id`, a check of a renamed column. `columnsOf` gives an input's column
 * names when they are known (null while not); nothing is said about an input not known.
 */
export function columnProblems(doc: Pipeline, columnsOf: (node: PipelineNode, input: number) => readonly string[] | null, onlyNode?: string): Problem[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const out: Problem[] = [];
  for (const node of doc.nodes) {
    if ((onlyNode !== undefined && node.id !== onlyNode) || !namesInputColumns(node.kind)) continue;
    for (const f of roleFields(fieldRolesOf(node.kind), node.config, (r) => r.type === 'column' && 'input' in r)) {
      if (f.role.type !== 'column' || !('input' in f.role)) continue;
      const columns = columnsOf(node, f.role.input);
      if (!columns) continue;
      const known = new Set(columns.map((c) => c.toLowerCase()));
      const inputName = byId.get(node.inputs[f.role.input] ?? '')?.name ?? `input ${f.role.input + 1}`;
      const values: [string, (string | number)[]][] = Array.isArray(f.value)
        ? f.value.flatMap((v, i) => (typeof v === 'string' ? [[v, [...f.path, i]] as [string, (string | number)[]]] : []))
        : typeof f.value === 'string'
          ? [[f.value, f.path]]
          : [];
      for (const [name, path] of values) {
        if (name === '' || known.has(name.toLowerCase())) continue;
        out.push(nodeProblem(node, 'columns', jsonPath(['config', ...path]), `"${name}" is not a column of ${inputName} (its columns: ${someColumns(columns)})`));
      }
    }
  }
  return out;
}
