import { filterSql, type FilterConfig } from '../../../../shared/nodes/filter';
import { lowCodeRuntime } from '../lowcode-view';

/** The filter node runs the SELECT it generates (shared/nodes/filter.ts). */
export const filterRuntime = lowCodeRuntime<FilterConfig>('filter', filterSql);
