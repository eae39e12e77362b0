import { convertToSqlNode } from '../../shared/nodes/lowcode';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';

/**
 * A low-code node becomes a SQL node holding the SQL it generates: same id, name, inputs
 * and place, so edges and downstream SQL are untouched. One undo step.
 */
export function convertToSql(nodeId: string): boolean {
  const s = useDoc.getState();
  const node = s.byId.get(nodeId);
  if (!s.doc || !node) return false;
  try {
    const converted = convertToSqlNode(node, node.inputs.map((id) => s.byId.get(id)?.name ?? id));
    s.apply((p) => ({ ...p, nodes: p.nodes.map((n) => (n.id === nodeId ? converted : n)) }));
    useUi.getState().notify('success', `"${node.name}" is a SQL node now (Ctrl+Z turns it back).`);
    return true;
  } catch (e) {
    useUi.getState().notify('error', (e as Error).message);
    return false;
  }
}
