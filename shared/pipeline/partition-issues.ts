import { jsonPath, type ValidationIssue } from '../errors';
import { lotPlaceholder } from './partitions';
import type { Pipeline } from './schema';

const SOURCE_KINDS = new Set(['file_source', 'lake_source', 'http_source', 'postgres_source', 'seed']);

/**
 * What makes a `partitions` declaration unusable, by JSON path: sources that are not source
 * nodes, a way of splitting the kind cannot have, a template without its placeholder, a key that
 * is also a parameter, no source a lot can be discovered from, and sinks that would overwrite
 * every lot with one lot's rows (postgres_sink `replace`) or that only make sense per lot, and
 * incremental sources (a watermark, only_new) that one lot's run would move on for all lots.
 */
export function partitionIssues(p: Pipeline): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const spec = p.partitions;
  if (!spec) {
    p.nodes.forEach((n, i) => {
      if (n.kind === 'postgres_sink' && n.config.mode === 'replace_partition') {
        out.push({ path: jsonPath(['nodes', i, 'config', 'mode']), message: `node "${n.name}": mode replace_partition needs a partitioned pipeline (a top-level "partitions")` });
      }
    });
    return out;
  }
  const at = (...rest: PropertyKey[]) => jsonPath(['partitions', ...rest]);
  if (Object.hasOwn(p.params, spec.key)) {
    out.push({ path: at('key'), message: `the partition key "${spec.key}" is also a parameter: SQL reads the lot's value with getvariable('${spec.key}'); rename one of them` });
  }
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  let discoverable = 0;
  for (const [id, how] of Object.entries(spec.sources)) {
    const node = byId.get(id);
    if (!node) {
      out.push({ path: at('sources', id), message: `partitions: "${id}" is not a node id of this pipeline` });
      continue;
    }
    if (!SOURCE_KINDS.has(node.kind)) {
      out.push({ path: at('sources', id), message: `partitions: node "${node.name}" is ${node.kind}, not a source` });
      continue;
    }
    if ('path' in how) {
      if (node.kind !== 'file_source') out.push({ path: at('sources', id, 'path'), message: `partitions: a path template is for file_source nodes; "${node.name}" is ${node.kind}` });
      else if (!how.path.includes(lotPlaceholder(spec.key))) out.push({ path: at('sources', id, 'path'), message: `partitions: the path of "${node.name}" must hold ${lotPlaceholder(spec.key)} where the lot's value is` });
      else if (/^([\\/]|[A-Za-z]:)/.test(how.path) || how.path.split(/[\\/]/).some((seg) => seg === '..')) out.push({ path: at('sources', id, 'path'), message: `partitions: the path of "${node.name}" must stay inside the workspace (no "..")` });
      else discoverable++;
    } else if ('hive' in how) {
      if (node.kind !== 'lake_source') out.push({ path: at('sources', id, 'hive'), message: `partitions: hive folders are for lake_source nodes; "${node.name}" is ${node.kind}` });
      else discoverable++;
    } else if (node.kind !== 'file_source' && node.kind !== 'lake_source') {
      out.push({ path: at('sources', id, 'column'), message: `partitions: a column split is for file_source and lake_source nodes; "${node.name}" is ${node.kind}` });
    }
  }
  if (!discoverable && !out.length) {
    out.push({ path: at('sources'), message: `partitions: at least one source must show its lots in its paths (a file_source "path" with ${lotPlaceholder(spec.key)} or a lake_source with "hive": true)` });
  }
  p.nodes.forEach((n, i) => {
    // Every lot is a run of its own over the same source: the first lot to succeed would move a
    // watermark or an only_new listing past what the next lots still have to read.
    if (n.kind === 'http_source' && n.config.watermark) {
      out.push({ path: jsonPath(['nodes', i, 'config', 'watermark']), message: `node "${n.name}": a watermark cannot be combined with partitions (each lot runs the source again; lots find their changes by their fingerprints)` });
    }
    if (n.kind === 'lake_source' && n.config.only_new) {
      out.push({ path: jsonPath(['nodes', i, 'config', 'only_new']), message: `node "${n.name}": only_new cannot be combined with partitions (each lot runs the source again; lots find their changes by their fingerprints)` });
    }
    if (n.kind === 'postgres_sink' && (n.config.mode ?? 'replace') === 'replace') {
      out.push({ path: jsonPath(['nodes', i, 'config', 'mode']), message: `node "${n.name}": mode replace would leave one lot's rows in the table; a partitioned pipeline uses replace_partition (or append, upsert)` });
    }
  });
  return out;
}
