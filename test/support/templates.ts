import { cpSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dir';

/** The shipped workspace templates, by folder name under templates/. */
export type TemplateName = 'cgt-batch-release' | 'cgt-bioreactor-trends' | 'cgm-nightscout';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

/** The template's folder in the repository (read-only for tests: copy it before running). */
export const templateDir = (name: TemplateName): string => join(TEMPLATES_DIR, name);

/** Each template's pipeline file, relative to the workspace root, with `/` (as the designer names it too). */
export const TEMPLATE_PIPELINE: Record<TemplateName, string> = {
  'cgt-batch-release': 'pipelines/batch_release.weir.json',
  'cgt-bioreactor-trends': 'pipelines/bioreactor_trends.weir.json',
  'cgm-nightscout': 'pipelines/daily_glucose.weir.json',
};

export interface CopyTemplateOptions {
  /** Copy into this folder; by default a fresh tempDir(prefix), removed after the file's tests. */
  to?: string;
  prefix?: string;
  /** Also copy data/curated (outputs of a run in place); run state (.weir) is always left out. */
  keepCurated?: boolean;
}

/**
 * A private copy of a template workspace, without run state (`.weir`) and, unless asked,
 * without outputs (`data/curated`) left by someone running the template in place.
 */
export function copyTemplate(name: TemplateName, opts: CopyTemplateOptions = {}): string {
  const from = templateDir(name);
  const dir = opts.to ?? tempDir(opts.prefix ?? `weir-${name}-`);
  const skipped = opts.keepCurated ? /^\.weir(\/|$)/ : /^(\.weir|data\/curated)(\/|$)/;
  cpSync(from, dir, { recursive: true, filter: (p) => !skipped.test(relative(from, p).split(sep).join('/')) });
  return dir;
}
