import type { MethodOutput } from '../../shared/api/contract';
import { ApiError, type Envelope } from '../../shared/api/envelope';
import type { PipelineDoc } from '../../shared/api/schemas';
import { api } from '../api/client';
import { takeEarlyRequests } from './early-requests';

/** An answer as the API client gives it: the result, or the error thrown. */
function unwrap<T>(answer: Envelope<unknown>): T {
  if (!answer.ok) throw new ApiError(answer.error);
  return answer.result as T;
}

let firstRead: Promise<{ root: string; path: string; answer: Promise<Envelope<unknown>> } | null> | null = null;

/** app.start's answer: the one sent as the page began (early-requests.ts), else asked now. */
export async function requestStart(): Promise<MethodOutput<'app.start'>> {
  const early = takeEarlyRequests();
  if (!early) return api.call('app.start', {});
  firstRead = early.read;
  return unwrap(await early.start);
}

/** The read sent early for this pipeline, once; null when none was sent for it. */
export async function takeFirstRead(root: string, path: string): Promise<PipelineDoc | null> {
  const read = await firstRead;
  firstRead = null;
  return read && read.root === root && read.path === path ? unwrap<PipelineDoc>(await read.answer) : null;
}
