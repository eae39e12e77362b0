import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { WeirError } from '../../../shared/errors';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { migrations } from '../../../shared/pipeline/migrations';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { PIPELINE_SCHEMA_PATH, PIPELINE_VERSION, type Pipeline } from '../../../shared/pipeline/schema';

/**
 * Export and import of pipeline files: export always writes the canonical form of the
 * current format version; import reads any version this build knows, migrating older ones
 * and saying so, and refuses newer ones with a message that says to upgrade Weir.
 */

export interface ImportResult {
  pipeline: Pipeline;
  /** The file's format version when it was older than this build's, else null. */
  migratedFrom: number | null;
  /** One line per migration step applied, for the user to read. */
  migrations: string[];
  /** A one-line account of the import, e.g. "imported batch_release (migrated from format version 0 to 1)". */
  message: string;
}

/** Reads pipeline text of any known version (pure apart from the error's source name). */
export function importPipelineText(text: string, source = 'pipeline'): ImportResult {
  const { pipeline, migratedFrom } = parsePipeline(text, source);
  const steps = migratedFrom === null ? [] : migrations.filter((m) => m.from >= migratedFrom && m.to <= PIPELINE_VERSION);
  const note = migratedFrom === null ? '' : ` (migrated from format version ${migratedFrom} to ${PIPELINE_VERSION}; save it to keep the upgrade)`;
  return {
    pipeline,
    migratedFrom,
    migrations: steps.map((m) => `v${m.from} → v${m.to}: ${m.describe}`),
    message: `imported ${pipeline.name}${note}`,
  };
}

export async function importPipelineFile(file: string): Promise<ImportResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WeirError('invalid', `${file}: ${code === 'ENOENT' ? 'no such pipeline file' : `cannot read (${(e as Error).message})`}`);
  }
  return importPipelineText(text, file);
}

export interface ExportOptions {
  /**
   * The workspace folder holding `schema/`, so `$schema` can be written as a path relative
   * to the exported file. Without it an existing `$schema` is kept as it is.
   */
  workspaceRoot?: string;
}

/** The `$schema` value for a file at `file` in a workspace whose schema folder is at its root. */
export function schemaRefFor(file: string, workspaceRoot: string): string {
  const rel = relative(dirname(resolve(file)), join(resolve(workspaceRoot), PIPELINE_SCHEMA_PATH));
  return rel.split(sep).join('/');
}

/** Writes the canonical file (current format, fixed key order), atomically. Returns its text. */
export async function exportPipeline(pipeline: Pipeline, file: string, opts: ExportOptions = {}): Promise<string> {
  const $schema = opts.workspaceRoot ? schemaRefFor(file, opts.workspaceRoot) : pipeline.$schema;
  const text = serializePipeline({ ...pipeline, $schema });
  await mkdir(dirname(resolve(file)), { recursive: true });
  const tmp = `${resolve(file)}.weir-export-${process.pid}`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, resolve(file));
  return text;
}

/** Import then export: upgrades a file of an older format version to the current canonical one. */
export async function upgradePipelineFile(source: string, dest = source, opts: ExportOptions = {}): Promise<ImportResult & { text: string }> {
  const imported = await importPipelineFile(source);
  const text = await exportPipeline(imported.pipeline, dest, opts);
  return { ...imported, text };
}
