import type { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { WeirError } from '../../shared/errors';
import { processSecrets, WEIR_VERSION } from '../engine';
import { Door, ToolError } from './door/door';
import { redactCredentials } from './redact';
import type { AnyTool, ToolContext } from './tools/define';
import { TOOLS } from './tools/index';

export interface McpOptions {
  /** The one workspace folder served (absolute, existing). */
  root: string;
  allowWrite: boolean;
  allowRun: boolean;
  /** The protocol's streams: newline-delimited JSON-RPC; nothing else may be written to `output`. */
  input: Readable;
  output: Writable;
  /** Where a line for a person goes (stderr). */
  log: (line: string) => void;
}

export interface RunningMcp {
  /** Resolves when the client has gone (its end of the input closed) or close() was called. */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Whatever path a text took, no value the process resolved and no credential in a URL reaches the client. */
const redact = (text: string) => redactCredentials(processSecrets().mask(text));

type TextResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

/** Compact JSON: an assistant reads it as well without the indentation, and its context is not spent on it. */
function answer(value: unknown): TextResult {
  return { content: [{ type: 'text', text: redact(JSON.stringify(value)) }] };
}

const MAX_ISSUES = 50;

function failure(e: unknown): TextResult {
  const message = e instanceof Error ? e.message : String(e);
  const issues = e instanceof ToolError ? e.issues : [];
  // A refusal in words (the service's, the engine's, a tool's) as it is; anything else is a fault of Weir's, in one line.
  const lines = [e instanceof ToolError || e instanceof WeirError ? message : `internal error: ${message.split('\n')[0]}`];
  for (const i of issues.slice(0, MAX_ISSUES)) lines.push(`- ${i.path || '(document)'}: ${i.message}`);
  if (issues.length > MAX_ISSUES) lines.push(`- ... and ${issues.length - MAX_ISSUES} more`);
  return { content: [{ type: 'text', text: redact(lines.join('\n')) }], isError: true };
}

function instructions(o: McpOptions): string {
  return [
    `Weir pipelines in the workspace ${o.root}: list_pipelines, read_pipeline, validate, plan, preview_node, lineage, describe_node_kinds.`,
    'Paths are relative to the workspace (pipelines/x.weir.json); nothing outside it is reachable.',
    o.allowWrite ? 'write_pipeline is on (validated documents only).' : 'Read-only: write_pipeline is off (start with --allow-write).',
    o.allowRun ? 'run is on: ask the user, then call it with confirm: true.' : 'run is off (start with --allow-run).',
  ].join(' ');
}

/**
 * `weir mcp`: the Model Context Protocol over stdio, serving one workspace through the API
 * service (door.ts). Tools answer JSON text; a refusal or failure is a tool error with one
 * line saying why, never a stack trace, and every text is masked and redacted on its way out.
 */
export async function serveMcp(o: McpOptions): Promise<RunningMcp> {
  const door = new Door({ root: o.root });
  const server = new McpServer({ name: 'weir', title: 'Weir', version: WEIR_VERSION }, { instructions: instructions(o) });
  for (const tool of TOOLS) register(server, tool, door, o);

  const transport = new StdioServerTransport(o.input, o.output);
  let finish!: () => void;
  const closed = new Promise<void>((resolve) => (finish = resolve));
  let closing = false;
  const close = async () => {
    if (closing) return closed;
    closing = true;
    const published = door.close();
    await server.close().catch(() => undefined);
    // A run the client started and left while it publishes finishes its commits before `closed`.
    await published;
    finish();
  };
  transport.onerror = (e) => o.log(`weir mcp: ${redact(e.message)}`);
  // The client closing its end of our input is the end of the session (the SDK's transport does not watch for it).
  o.input.once('end', () => void close());
  o.input.once('close', () => void close());
  await server.connect(transport);
  return { closed, close };
}

function register(server: McpServer, tool: AnyTool, door: Door, o: McpOptions): void {
  server.registerTool(tool.name, { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: tool.annotations }, async (args, extra) => {
    const token = extra._meta?.progressToken;
    const ctx: ToolContext = {
      door,
      allowWrite: o.allowWrite,
      allowRun: o.allowRun,
      signal: extra.signal,
      progress: async (progress, total, message) => {
        if (token === undefined) return;
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total, message: redact(message) } }).catch(() => undefined);
      },
    };
    try {
      return answer(await tool.run((args ?? {}) as Record<string, unknown>, ctx));
    } catch (e) {
      return failure(e);
    }
  });
}
