import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPipelineFile } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

export const SECRET = 'ns-secret-7d41c0-not-for-logs';

/** A workspace whose `ns` connection points at `base` and sends the SHA-1 of NS_SECRET, as Nightscout wants. */
export function nightscoutWorkspace(base: string, prefix = 'weir-ns-'): string {
  const ws = tempDir(prefix);
  const ns = { kind: 'http', base_url: base, headers: { 'api-secret': '${sha1:env:NS_SECRET}' } };
  const environments = { dev: { connections: { ns } }, prod: { connections: { ns } } };
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments }));
  return ws;
}

export const lookup = (name: string): string | undefined => (name === 'NS_SECRET' ? SECRET : undefined);

export interface PipelineSpec {
  /** The http source's config (the connection `ns` is added unless given). */
  source: Record<string, unknown>;
  /** Nodes between the source (id `src`) and the CSV sink; the sink reads the last one. */
  more?: Record<string, unknown>[];
  params?: Record<string, unknown>;
  /** Columns the CSV is ordered by. */
  orderBy?: string[];
  /** Nodes before the source (a dependent source's input). */
  before?: Record<string, unknown>[];
  sourceInputs?: string[];
}

/** Writes `<name>.weir.json`: [before...] → http source → [more...] → CSV sink `<name>.csv`. */
export function writePipeline(ws: string, name: string, spec: PipelineSpec): string {
  const file = join(ws, `${name}.weir.json`);
  const last = spec.more?.length ? (spec.more[spec.more.length - 1]!.id as string) : 'src';
  const nodes = [
    ...(spec.before ?? []),
    { id: 'src', name: 'entries', kind: 'http_source', inputs: spec.sourceInputs ?? [], config: { connection: 'ns', ...spec.source } },
    ...(spec.more ?? []),
    { id: 'out', name: 'out_csv', kind: 'file_sink', inputs: [last], config: { path: `${name}.csv`, format: 'csv', order_by: spec.orderBy ?? ['_id'] } },
  ];
  writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name, params: spec.params ?? {}, nodes }));
  return file;
}

/** Runs a pipeline file in process; the CSV's lines when it succeeded. */
export async function runFile(ws: string, file: string, opts: { params?: Record<string, string>; environment?: string; useCache?: boolean; name?: string; secret?: string } = {}) {
  const warnings: string[] = [];
  const out = await runPipelineFile({
    file,
    secrets: opts.secret === undefined ? lookup : (n) => (n === 'NS_SECRET' ? opts.secret : undefined),
    useCache: opts.useCache ?? false,
    ...(opts.params ? { params: opts.params } : {}),
    ...(opts.environment ? { environment: opts.environment } : {}),
    onEvent: (e) => (e.type === 'node_warning' ? warnings.push(e.message) : undefined),
  });
  const csv = join(ws, `${opts.name ?? file.replace(/^.*[\\/]/, '').replace('.weir.json', '')}.csv`);
  const lines = out.status === 'succeeded' && existsSync(csv) ? readFileSync(csv, 'utf8').trim().split('\n') : [];
  return { out, lines, warnings };
}
