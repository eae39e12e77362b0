import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { WEIR_BIN } from '../../support/cli';

export interface ToolAnswer {
  isError: boolean;
  text: string;
  /** The answer's JSON (undefined for an error's plain text). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke at answers freely
}

export interface McpSession {
  client: Client;
  call(name: string, args?: Record<string, unknown>, options?: RequestOptions): Promise<ToolAnswer>;
  stderr(): string;
  close(): Promise<void>;
}

/** `node bin/weir.cjs mcp --workspace ROOT [flags]` spawned by the SDK's own client over stdio. */
export async function startMcp(root: string, flags: string[] = [], env: Record<string, string> = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [WEIR_BIN, 'mcp', '--workspace', root, ...flags],
    // The SDK passes only a few variables by default; the test tier's settings (cache folders) go too.
    env: { ...process.env, ...env } as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const client = new Client({ name: 'weir-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    async call(name, args = {}, options) {
      const r = await client.callTool({ name, arguments: args }, undefined, options);
      const content = r.content as { type: string; text: string }[];
      const text = content.map((c) => c.text).join('\n');
      const isError = r.isError === true;
      return { isError, text, json: isError ? undefined : JSON.parse(text) };
    },
    stderr: () => stderr,
    close: () => client.close(),
  };
}
