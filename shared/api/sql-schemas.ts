import { z } from 'zod';

/** What the SQL editor asks the engine for: input schemas (completion of columns) and DuckDB's functions. */

export const columnInfo = z.strictObject({ name: z.string(), type: z.string() });

/** The columns of one input of a node; `error` when that input cannot be computed (its own SQL fails). */
export const inputSchema = z.strictObject({
  nodeId: z.string(),
  name: z.string(),
  columns: z.array(columnInfo),
  error: z.string().nullable(),
});
export type InputSchemaDto = z.infer<typeof inputSchema>;

export const sqlFunction = z.strictObject({
  name: z.string(),
  /** scalar, aggregate, table, macro, table_macro */
  type: z.string(),
  description: z.string().nullable(),
  /** Parameter names of the simplest overload (`x, precision`). */
  params: z.string().nullable(),
});
export type SqlFunctionDto = z.infer<typeof sqlFunction>;
