import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { WINDOW_NEEDS, windowConfig, windowSql } from './config';

export * from './config';

export const windowKind = defineNodeKind({
  kind: 'window',
  version: 1,
  label: 'Window (running, lag, rank)',
  category: 'transform',
  order: 52,
  summary: 'Adds running or rolling aggregates, lag / lead and ranks per group in an order',
  inputs: { min: 1, max: 1 },
  config: windowConfig,
  defaults: () => ({ partition_by: [], order_by: [], functions: [{ fn: 'row_number', as: 'row_number' }] }),
  fields: {
    partition_by: { type: 'column', input: 0 },
    'order_by[].column': { type: 'column', input: 0 },
    'functions[].column': { type: 'column', input: 0 },
  },
  form: { needs: { 'functions[]': { by: 'fn', needs: WINDOW_NEEDS } } },
  ...lowCodeParts(windowSql),
});
