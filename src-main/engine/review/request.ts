import type { ReviewProgress } from '../../../shared/review/schema';

/** What `engine.review` compares (issue #16): a pipeline file at two versions, over the same inputs. */
export interface ReviewRequest {
  /** Absolute path of the pipeline file, inside a git repository. */
  file: string;
  /** The base revision; default HEAD. */
  base?: string;
  /** The head revision; null or absent: the working copy. */
  head?: string | null;
  /** An unsaved document (the designer's), used as the head instead of the file's text. */
  headDocument?: unknown;
  /** Value-diff keys by node name, overriding a node's `unique` check. */
  keys?: Record<string, string[]>;
  /** When the base run's inputs are missing or changed: use the current ones (and say so) instead of failing. */
  allowCurrentInputs?: boolean;
  environment?: string;
  params?: Record<string, string | number | boolean>;
  signal?: AbortSignal;
  onProgress?: (p: ReviewProgress) => void;
}
