import { lotPath, type PartitionsSpec } from './partitions';
import type { Pipeline, PipelineNode } from './schema';

/** A lake source's glob below one lot's folder: a leading `<key>=*` segment is the lot's folder itself. */
export function lotGlob(glob: string, key: string, value: string): string {
  const rest = glob.startsWith(`${key}=*/`) ? glob.slice(key.length + 3) : glob;
  return `${key}=${value}/${rest}`;
}

/** Where one lot of a sink's output goes: a `<key>=<value>/` folder beside the file or folder it names. */
export function lotSinkPath(path: string, key: string, value: string): string {
  const p = path.replace(/\\/g, '/').replace(/\/+$/, '');
  const cut = p.lastIndexOf('/');
  return cut < 0 ? `${key}=${value}/${p}` : `${p.slice(0, cut)}/${key}=${value}/${p.slice(cut + 1)}`;
}

/** The name a column-split source's whole relation takes; the lot's filter takes the source's own name. */
export function unsplitName(name: string): string {
  return `${name.slice(0, 50)}__all_lots`;
}

function withConfig(n: PipelineNode, patch: Record<string, unknown>): PipelineNode {
  return { ...n, config: { ...n.config, ...patch } };
}

/**
 * The pipeline one lot runs (docs/lots.md): the same graph with the key as a string parameter
 * set to the lot's value, every split source restricted to the lot's files (a `path` template
 * filled in, a lake source's glob below `<key>=<value>/`, a column-split source filtered by a
 * SQL node that takes its name), and every file or lake sink writing into a `<key>=<value>/`
 * folder of its own. Node ids stay, so the run record names the nodes of the file.
 */
export function pipelineForLot(p: Pipeline, spec: PartitionsSpec, value: string): Pipeline {
  const key = spec.key;
  const nodes: PipelineNode[] = [];
  for (const n of p.nodes) {
    const how = spec.sources[n.id];
    if (how && 'path' in how) nodes.push(withConfig(n, { path: lotPath(how.path, key, value) }));
    else if (how && 'hive' in how) nodes.push(withConfig(n, { glob: lotGlob(typeof n.config.glob === 'string' ? n.config.glob : '**/*', key, value) }));
    else if (how && 'column' in how) {
      const all = unsplitName(n.name);
      nodes.push({ ...n, id: `${n.id.slice(0, 50)}__all_lots`, name: all });
      nodes.push({
        id: n.id,
        name: n.name,
        kind: 'sql',
        description: `The rows of lot ${key} = getvariable('${key}') from ${n.name}, which holds every lot.`,
        inputs: [`${n.id.slice(0, 50)}__all_lots`],
        config: { materialize: 'table', sql: [`select * from "${all}" where cast("${how.column.replace(/"/g, '""')}" as varchar) = getvariable('${key}')`] },
      });
    } else if (n.kind === 'file_sink' && typeof n.config.path === 'string') nodes.push(withConfig(n, { path: lotSinkPath(n.config.path, key, value) }));
    else if (n.kind === 'lake_sink' && typeof n.config.path === 'string') nodes.push(withConfig(n, { path: `${n.config.path.replace(/\/+$/, '')}/${key}=${value}` }));
    else nodes.push(n);
  }
  const layout = { ...p.layout };
  return { ...p, params: { ...p.params, [key]: { type: 'string', default: value } }, nodes, layout, partitions: undefined };
}
