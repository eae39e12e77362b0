import { selectSql, type SelectConfig } from '../../../../shared/nodes/select';
import { lowCodeRuntime } from '../lowcode-view';

/** The select node runs the SELECT it generates (shared/nodes/select.ts). */
export const selectRuntime = lowCodeRuntime<SelectConfig>('select', selectSql);
