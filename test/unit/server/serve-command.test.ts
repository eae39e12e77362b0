import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { ServeExited, startServe, type Served } from '../../e2e/support/serve';
import { samplePipeline } from '../api/fixture';

const servers: Served[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('weir serve', () => {
  it('prints the URL with its token, opens the given workspace, and stops cleanly on SIGTERM', async () => {
    const base = await mkdtemp(join(tmpdir(), 'weir-serve-'));
    dirs.push(base);
    const ws = join(base, 'ws');
    await mkdir(join(ws, 'pipelines'), { recursive: true });
    await writeFile(join(ws, 'pipelines', 'release.weir.json'), serializePipeline(samplePipeline()));
    const served = await startServe({ workspace: ws, home: join(base, 'home') });
    servers.push(served);
    const { origin, hash } = new URL(served.url);
    const token = hash.replace('#token=', '');
    const denied = await fetch(`${origin}/api/app.start`, { method: 'POST', body: '{}' });
    expect(denied.status).toBe(401);
    const res = await fetch(`${origin}/api/app.start`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    const body = (await res.json()) as { ok: boolean; result: { workspace: { root: string }; shell: string } };
    expect(body.ok).toBe(true);
    expect(body.result.workspace.root).toBe(ws);
    expect(body.result.shell).toBe('browser');
    expect(await served.stop()).toBe(0);
  });

  it('refuses a bad port with a usage error (exit 2)', async () => {
    const failed = await startServe({ port: 'abc' }).then(
      (s) => (servers.push(s), null),
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(ServeExited);
    const { code, stderr } = failed as ServeExited;
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('weir: --port expects a port number (0 for any free port), got "abc"');
  });
});
