import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceCli } from '../../support/cli';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

export interface StartedCli {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * The working tree's CLI (sourceCli) in a child process whose handle the test keeps (to SIGKILL it), with
 * TMPDIR set so that its scratch and spill folders land where the test looks.
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): StartedCli {
  const child = spawn(process.execPath, [...sourceCli(), ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, done };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `test` every `everyMs` until it holds (true) or `timeoutMs` passes (false). */
export async function waitFor(test: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await test()) return true;
    await sleep(everyMs);
  }
  return false;
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** What runs left on disk, by kind: staging beside the targets in `sinkDirs`, cache temp files, scratch and spill folders. */
export function localLitter(ws: string, tmp: string, sinkDirs: readonly string[]): { staging: string[]; cacheTemps: string[]; scratch: string[]; spill: string[] } {
  const uid = process.getuid?.() ?? 'user';
  return {
    staging: sinkDirs.flatMap((d) => names(join(ws, d)).filter((n) => /\.weir-.*\.tmp(\.old)?$/.test(n)).map((n) => `${d}/${n}`)),
    cacheTemps: names(join(ws, '.weir/cache/nodes')).filter((n) => /\.(tmp|part)$/.test(n)),
    scratch: names(join(tmp, `weir-scratch-${uid}`)),
    spill: names(tmp).filter((n) => n.startsWith('weir-duckdb-')),
  };
}

export const scratchRootIn = (tmp: string) => join(tmp, `weir-scratch-${process.getuid?.() ?? 'user'}`);

export const exists = (p: string) => existsSync(p);
