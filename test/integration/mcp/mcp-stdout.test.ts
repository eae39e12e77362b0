import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runWeir, WEIR_BIN } from '../../support/cli';
import { copyTemplate, TEMPLATE_PIPELINE } from '../../support/templates';

const PIPELINE = TEMPLATE_PIPELINE['cgt-batch-release'];

/**
 * The protocol's bytes as a client reads them, without the SDK in between: every line on
 * stdout must be one JSON-RPC message (a stray log line there breaks every MCP client).
 */
describe('weir mcp: stdout carries protocol messages only', () => {
  it('answers a session with JSON-RPC lines alone, logs to stderr, and exits 0 when the client closes its input', async () => {
    const root = copyTemplate('cgt-batch-release', { prefix: 'weir-mcp-stdout-' });
    const child = spawn(process.execPath, [WEIR_BIN, 'mcp', '--workspace', root], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    const lines = () => stdout.split('\n').filter((l) => l !== '');
    const send = (msg: object) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n');
    const answerTo = async (id: number) => {
      await expect.poll(() => lines().some((l) => JSON.parse(l).id === id), { timeout: 30_000 }).toBe(true);
      return JSON.parse(lines().find((l) => JSON.parse(l).id === id)!);
    };

    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    const init = await answerTo(1);
    expect(init.result.serverInfo).toMatchObject({ name: 'weir' });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/list' });
    send({ id: 3, method: 'tools/call', params: { name: 'preview_node', arguments: { path: PIPELINE, node: 'release_summary', limit: 5 } } });
    send({ id: 4, method: 'tools/call', params: { name: 'validate', arguments: { path: '../nope.weir.json' } } });
    send({ id: 5, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } });
    expect((await answerTo(2)).result.tools).toHaveLength(9);
    const preview = await answerTo(3);
    expect(JSON.parse(preview.result.content[0].text).shownRows).toBeGreaterThan(0);
    expect((await answerTo(4)).result.isError).toBe(true);
    await answerTo(5);
    // A line that is not JSON is the client's fault: the server says so on stderr, never on stdout.
    child.stdin.write('this is not json\n');
    send({ id: 6, method: 'ping' });
    await answerTo(6);

    child.stdin.end();
    expect(await exited).toBe(0);
    for (const line of lines()) {
      const msg = JSON.parse(line);
      expect(msg.jsonrpc, line).toBe('2.0');
      expect('id' in msg || 'method' in msg, line).toBe(true);
    }
    expect(lines().length).toBeGreaterThanOrEqual(6);
    expect(stderr).toContain(`weir mcp: serving ${root} over stdio`);
  });

  it('stops cleanly on SIGTERM while a client is connected', async () => {
    const root = copyTemplate('cgt-batch-release', { prefix: 'weir-mcp-term-' });
    const child = spawn(process.execPath, [WEIR_BIN, 'mcp', '--workspace', root], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await expect.poll(() => stderr, { timeout: 30_000 }).toContain('weir mcp: serving');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a folder that cannot be a workspace with one line on stderr and nothing on stdout (exit 2)', async () => {
    const root = await runWeir(['mcp', '--workspace', '/']);
    expect(root).toMatchObject({ code: 2, stdout: '' });
    expect(root.stderr).toBe('weir: / cannot be a workspace: it is the root of the file system\n');
    const missing = await runWeir(['mcp', '--workspace', '/no/such/folder']);
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: 'weir: --workspace: no such folder /no/such/folder\n' });
  });
});
