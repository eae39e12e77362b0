export * from './types';
export { queryLineage, type Json, type QueryInput } from './sql-lineage';
export { kindLineage, type KindLineage } from './kind-lineage';
export { buildLineage, lineagePlan, type BoundColumns } from './pipeline-lineage';
export { findColumn, sourceColumns, traceColumn } from './trace';
export { queryIdentity, type QueryIdentity } from './identity';
export { inputTracePlan, type InputTracePlan, type RestrictPair, type TraceInput } from './explain-plan';
export type { Explanation, ExplainStep, ExplainInput, ExplainRows, ExplainCheckRule } from './explain-types';
