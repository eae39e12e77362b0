export * from './types';
export { queryLineage, type Json, type QueryInput } from './sql-lineage';
export { kindLineage, type KindLineage } from './kind-lineage';
export { buildLineage, lineagePlan, type BoundColumns } from './pipeline-lineage';
export { findColumn, sourceColumns, traceColumn } from './trace';
