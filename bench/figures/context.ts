import type { BenchOptions } from '../lib/args';
import type { BenchWorkspace, Dataset } from '../lib/dataset';
import type { FigureRow } from '../lib/report';

export interface BenchContext {
  opts: BenchOptions;
  /** The generated data and a workspace holding the template; null when the template is missing. */
  data: { dataset: Dataset; ws: BenchWorkspace } | null;
  /** Why `data` is null. */
  dataMissing?: string;
  log(message: string): void;
}

export type Figure = (ctx: BenchContext) => Promise<FigureRow[]>;
