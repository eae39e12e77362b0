import { WeirError } from '../../../shared/errors';
import type { ReviewReport } from '../../../shared/review/schema';
import type { EngineContext } from '../context';
import type { ReviewRequest } from './request';

export async function reviewPipeline(_ctx: EngineContext, _req: ReviewRequest): Promise<ReviewReport> {
  throw new WeirError('internal', 'review: not implemented yet');
}
