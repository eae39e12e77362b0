import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { ServeExited, signInWith, startServe, type Served } from '../../e2e/support/serve';
import { sendBigBody } from '../../support/big-body';
import { sourceCli } from '../../support/cli';
import { samplePipeline } from '../../unit/api/fixture';

const servers: Served[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('weir serve', () => {
  it('prints a one-time link, serves the given workspace, and stops cleanly on SIGTERM', async () => {
    const base = await mkdtemp(join(tmpdir(), 'weir-serve-'));
    dirs.push(base);
    const ws = join(base, 'ws');
    await mkdir(join(ws, 'pipelines'), { recursive: true });
    await writeFile(join(ws, 'pipelines', 'release.weir.json'), serializePipeline(samplePipeline()));
    const served = await startServe({ workspace: ws, home: join(base, 'home') });
    servers.push(served);
    const { origin } = served;
    const denied = await fetch(`${origin}/api/app.start`, { method: 'POST', body: '{}' });
    expect(denied.status).toBe(401);
    const cookie = await signInWith(served.url);
    const res = await fetch(`${origin}/api/app.start`, { method: 'POST', headers: { cookie }, body: '{}' });
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

/** Every command line on this machine, as any local user can list them. */
const processList = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });

/** Peak resident memory of a process, from /proc (bytes). */
async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

describe('weir serve and the browser it opens', () => {
  it('puts no secret on any command line: the opener gets a private file; its code and the printed one work once each', async () => {
    const base = await mkdtemp(join(tmpdir(), 'weir-serve-ps-'));
    dirs.push(base);
    const ws = join(base, 'ws');
    await mkdir(join(ws, 'pipelines'), { recursive: true });
    await writeFile(join(ws, 'pipelines', 'release.weir.json'), serializePipeline(samplePipeline()));
    // A stand-in for xdg-open and the browser it starts: it records what it was given and stays up.
    const browser = join(base, 'browser.sh');
    const argsFile = join(base, 'browser-args.txt');
    await writeFile(browser, `#!/bin/sh\necho "$$" > "${argsFile}.pid"\nprintf '%s\\n' "$@" > "${argsFile}.tmp" && mv "${argsFile}.tmp" "${argsFile}"\nsleep 60\n`, { mode: 0o755 });

    const served = await startServe({ workspace: ws, home: join(base, 'home'), browser });
    servers.push(served);
    let opener: number | null = null;
    try {
      await expect.poll(() => existsSync(argsFile), { timeout: 20_000 }).toBe(true);
      opener = Number((await readFile(`${argsFile}.pid`, 'utf8')).trim());
      const given = (await readFile(argsFile, 'utf8')).trim().split('\n');
      expect(given).toHaveLength(1);
      const launchFile = given[0]!;
      expect(launchFile).toMatch(/weir-launch-[^/]+\/open-weir\.html$/);
      // Readable by this user only.
      expect((await stat(launchFile)).mode & 0o777).toBe(0o600);
      expect((await stat(dirname(launchFile))).mode & 0o777).toBe(0o700);
      const forwarded = /url=(http:\/\/127\.0\.0\.1:\d+\/#launch=[\w-]+)"/.exec(await readFile(launchFile, 'utf8'))![1]!;
      const openerCode = forwarded.split('#launch=')[1]!;
      const printedCode = served.url.split('#launch=')[1]!;
      expect(openerCode).not.toBe(printedCode);

      const before = processList();
      // The list is the real one: it shows the stand-in browser with the file it was given, and weir serve.
      expect(before).toContain(`${browser} ${launchFile}`);
      // weir serve as startServe started it: the tier's bundle of the working tree's CLI, or its source through tsx.
      expect(before).toContain(`${sourceCli().at(-1)!} serve --port 0 --workspace `);
      for (const secret of [openerCode, printedCode]) expect(before).not.toContain(secret);

      // The browser uses its code: a session. The same code again: refused.
      const cookie = await signInWith(forwarded);
      const session = cookie.split('=')[1]!;
      expect(session).toMatch(/^[\w-]{43}$/);
      await expect(signInWith(forwarded)).rejects.toThrow(/launch refused \(401\).*already used/);
      // The printed link works once too, then never again.
      await signInWith(served.url);
      await expect(signInWith(served.url)).rejects.toThrow(/launch refused \(401\)/);

      const after = processList();
      for (const secret of [session, openerCode, printedCode]) expect(after).not.toContain(secret);
      // Nor does the session reach weir serve's own environment or that of the browser it started.
      for (const pid of [served.child.pid!, opener]) expect(await readFile(`/proc/${pid}/environ`, 'utf8')).not.toContain(session);

      const res = await fetch(`${served.origin}/api/workspace.recent`, { method: 'POST', headers: { cookie }, body: '{}' });
      expect(res.status).toBe(200);
      expect(await served.stop()).toBe(0);
      // Stopping removes the private page with its (now dead) code.
      expect(existsSync(launchFile)).toBe(false);
    } finally {
      if (opener) process.kill(opener, 'SIGKILL');
    }
  });

  it('refuses a 50 MB body early: the server holds nothing like the body in memory', async () => {
    const base = await mkdtemp(join(tmpdir(), 'weir-serve-body-'));
    dirs.push(base);
    const served = await startServe({ home: join(base, 'home') });
    servers.push(served);
    const cookie = await served.signIn();
    const port = Number(new URL(served.origin).port);
    const pid = served.child.pid!;
    // Warm up the request path first, so the peak below is what the large bodies add.
    await fetch(`${served.origin}/api/workspace.recent`, { method: 'POST', headers: { cookie }, body: '{}' });
    // Start the peak afresh (Linux: "5" resets VmHWM), so that the start-up's own peak cannot hide what follows.
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    const peakBefore = await peakRss(pid);
    const total = 50 * 1000 * 1000;
    for (const declared of [true, false]) {
      const r = await sendBigBody({ port, path: '/api/app.start', total, declared, cookie });
      expect(r.status).toBe('HTTP/1.1 413 Payload Too Large');
      expect(r.sent).toBeLessThan(total / 2);
    }
    const grew = (await peakRss(pid)) - peakBefore;
    // The old server kept the whole body (and its string copy): hundreds of MB.
    expect(grew).toBeLessThan(16 * 1024 * 1024);
    expect(await served.stop()).toBe(0);
  });
});
