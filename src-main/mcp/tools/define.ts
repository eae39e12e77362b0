import type { z } from 'zod';
import type { Door } from '../door/door';

export interface ToolContext {
  door: Door;
  /** `weir mcp --allow-write`: write_pipeline may write. */
  allowWrite: boolean;
  /** `weir mcp --allow-run`: run may run (each call still confirmed). */
  allowRun: boolean;
  /** Aborted when the client cancels the call. */
  signal: AbortSignal;
  /** Progress for a client that asked for it (a long run); a no-op otherwise. */
  progress(done: number, total: number, message: string): Promise<void>;
}

/** MCP's hints to a client about what a tool does (a client may ask before calling one that is not read-only). */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface McpTool<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: S;
  annotations: ToolHints;
  /** The tool's answer (sent as JSON text), or a ToolError. */
  run(args: z.output<z.ZodObject<S>>, ctx: ToolContext): Promise<unknown>;
}

/** A tool as the server registers it: its arguments already checked against `input` by the SDK. */
export type AnyTool = Omit<McpTool, 'run'> & { run(args: Record<string, unknown>, ctx: ToolContext): Promise<unknown> };

export function defineTool<S extends z.ZodRawShape>(tool: McpTool<S>): AnyTool {
  // The SDK parses the arguments with `input` before `run` sees them: the erased type is safe.
  return tool as unknown as AnyTool;
}
