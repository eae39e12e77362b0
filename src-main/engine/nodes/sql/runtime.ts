import { sqlKind } from '../../../../shared/nodes/sql';
import { defineNodeRuntime } from '../define';

/** A SQL node: the analyst's SELECT as a view, or a table (shared/nodes/sql/). */
export const sqlRuntime = defineNodeRuntime(sqlKind, { cacheable: true });
