import { WeirError } from '../../../shared/errors';
import { findColumn, traceColumn, type ColumnTrace, type TraceHit } from '../../../shared/lineage';
import { loadPipelineFile } from '../../engine';
import { parse, parseParamPairs } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK } from '../support/exit-codes';
import { signalCheckpoint } from '../support/signals';
import { safeJson, safeLines } from '../support/terminal-text';

const USAGE = 'weir lineage FILE NODE.COLUMN [--upstream | --downstream] [--env NAME] [--param NAME=VALUE]... [--json]';
const DETAILS = [
  'Column lineage: every column NODE.COLUMN is computed from (--upstream, the default), back to',
  'the sources, or every column it feeds (--downstream), through every node. Direct: the value',
  'flows; indirect: it decides which rows, groups or branch (WHERE, JOIN, GROUP BY, window',
  'PARTITION BY, a CASE condition). What Weir cannot resolve is listed as unknown, with why.',
  'The nodes are made as a preview makes them (sources read; nothing is written).',
  '',
  'options:',
  '      --upstream             what the column is computed from (default)',
  '      --downstream           what the column feeds',
  '  -e, --env NAME             the environment whose connections sources read (default: the workspace default)',
  '  -p, --param NAME=VALUE     a parameter value (repeatable)',
  '      --json                 {"trace": ..., "graph": ...}: the trace and the whole column graph',
].join('\n');

/** `weir lineage`: what a column comes from, or what it feeds. */
export async function lineageCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      upstream: { type: 'boolean' },
      downstream: { type: 'boolean' },
      env: { type: 'string', short: 'e' },
      param: { type: 'string', multiple: true, short: 'p' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
    },
    USAGE,
    DETAILS,
  );
  if (positionals.length !== 2) throw new WeirError('usage', `expected a pipeline file and NODE.COLUMN\nusage: ${USAGE}`);
  if (values.upstream && values.downstream) throw new WeirError('usage', `--upstream and --downstream go one at a time\nusage: ${USAGE}`);
  const [file, target] = positionals as [string, string];
  const dot = target.indexOf('.');
  if (dot <= 0 || dot === target.length - 1) throw new WeirError('usage', `expected NODE.COLUMN, got "${target}"\nusage: ${USAGE}`);
  const ref = { node: target.slice(0, dot), column: target.slice(dot + 1) };
  const loaded = await loadPipelineFile(file);
  await signalCheckpoint();
  const graph = await cliEngine().lineage({
    pipeline: loaded.pipeline,
    file: loaded.path,
    params: parseParamPairs(values.param as string[] | undefined),
    environment: values.env as string | undefined,
  });
  await signalCheckpoint();
  const found = findColumn(graph, ref);
  if (typeof found === 'string') throw new WeirError('usage', found);
  const trace = traceColumn(graph, ref, values.downstream ? 'downstream' : 'upstream');
  if (values.json) process.stdout.write(safeJson({ trace, graph }, 2) + '\n');
  else process.stdout.write(safeLines(formatTrace(trace)) + '\n');
  return EXIT_OK;
}

function hitLine(h: TraceHit): string {
  const origin = h.origin !== undefined ? `  (source: ${h.origin || 'its dataset'})` : '';
  const unknown = h.unknown?.length ? `  (unknown: ${h.unknown.join('; ')})` : '';
  return `  ${h.node}.${h.column}${origin}${unknown}`;
}

export function formatTrace(t: ColumnTrace): string {
  const name = `${t.from.node}.${t.from.column}`;
  const lines = [`${name}: ${t.direction === 'upstream' ? 'computed from' : 'feeds'} ${t.hits.length} column${t.hits.length === 1 ? '' : 's'}`];
  const direct = t.hits.filter((h) => h.via === 'direct');
  const indirect = t.hits.filter((h) => h.via === 'indirect');
  lines.push('', `direct (${t.direction === 'upstream' ? 'its value flows from these' : 'its value flows into these'}):`, ...(direct.length ? direct.map(hitLine) : ['  none']));
  lines.push('', `indirect (${t.direction === 'upstream' ? 'these decide its rows, groups or branch' : 'it decides the rows, groups or branch of these'}):`, ...(indirect.length ? indirect.map(hitLine) : ['  none']));
  if (t.unknown.length) lines.push('', 'unknown:', ...t.unknown.map((u) => `  ${u}`));
  return lines.join('\n');
}
