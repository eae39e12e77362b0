import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { samplePipeline } from '../api/fixture';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** `weir serve` from source; resolves with the URL it prints. */
function serve(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/index.ts', 'serve', ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /Weir designer: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (c) => (err += c));
    child.on('exit', (code) => reject(new Error(`weir serve exited ${code}: ${err}`)));
  });
}

describe('weir serve', () => {
  it('prints the URL with its token, opens the given workspace, and stops cleanly on SIGTERM', async () => {
    const base = await mkdtemp(join(tmpdir(), 'weir-serve-'));
    dirs.push(base);
    const ws = join(base, 'ws');
    await mkdir(join(ws, 'pipelines'), { recursive: true });
    await writeFile(join(ws, 'pipelines', 'release.weir.json'), serializePipeline(samplePipeline()));
    const { child, url } = await serve(['--port', '0', '--no-open', '--workspace', ws], { WEIR_HOME: join(base, 'home') });
    const { origin, hash } = new URL(url);
    const token = hash.replace('#token=', '');
    const denied = await fetch(`${origin}/api/app.start`, { method: 'POST', body: '{}' });
    expect(denied.status).toBe(401);
    const res = await fetch(`${origin}/api/app.start`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    const body = (await res.json()) as { ok: boolean; result: { workspace: { root: string }; shell: string } };
    expect(body.ok).toBe(true);
    expect(body.result.workspace.root).toBe(ws);
    expect(body.result.shell).toBe('browser');
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses a bad port with a usage error (exit 2)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/index.ts', 'serve', '--port', 'abc', '--no-open'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err.trim()).toBe('weir: --port expects a port number (0 for any free port), got "abc"');
  });
});
