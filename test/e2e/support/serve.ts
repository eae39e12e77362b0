import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sourceCli } from '../../support/cli';
import { repo } from './renderer-build';

export interface Served {
  child: ChildProcess;
  /**
   * The one-time link weir serve printed (`<origin>/#launch=<code>`): it signs in the first
   * browser that opens it. The same browser may open it again (it keeps its session); a
   * browser of its own (a new context) needs `newUrl()`.
   */
  url: string;
  origin: string;
  /** Everything weir serve has printed so far. */
  stdout(): string;
  /** A fresh one-time link, asked for as a browser without a session does, read from what weir serve prints. */
  newUrl(): Promise<string>;
  /** Signs in with a fresh link, as the page does; the `Cookie:` header for API calls from the test. */
  signIn(): Promise<string>;
  /** SIGTERM, then resolves with the exit code once the server has exited. */
  stop(): Promise<number | null>;
}

export interface ServeOptions {
  workspace?: string;
  /** WEIR_HOME of the server; the caller's own when left out. */
  home?: string;
  /**
   * Run the committed bundle bin/weir.cjs on plain Node (as `npx weir` does) instead of the
   * working tree's CLI (bundled once for the tier by test/support/source-cli.ts, or its source
   * through tsx when a file runs without that setup).
   */
  bundle?: boolean;
  /** `--port`; 0 (any free port) by default. */
  port?: number | string;
  /** More arguments after `serve --port P --no-open`. */
  args?: string[];
  /** Let weir serve open the browser, with this program as the opener (WEIR_BROWSER); by default `--no-open`. */
  browser?: string;
}

const LINK = /Weir designer[^:\n]*: (http:\/\/127\.0\.0\.1:\d+)\/#launch=([\w-]+)\n/g;

/** Exchanges a launch link's code for a session as the page does; the `Cookie:` header. */
export async function signInWith(link: string): Promise<string> {
  const { origin, hash } = new URL(link);
  const res = await fetch(`${origin}/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: hash.replace('#launch=', '') }) });
  if (res.status !== 204) throw new Error(`launch refused (${res.status}): ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** One API call as the page makes it (POST /api/<method>, the session's cookie): the HTTP status and the answer's envelope. */
export async function postApi<B = unknown>(served: Pick<Served, 'origin'>, cookie: string, method: string, input: unknown): Promise<{ status: number; body: B }> {
  const res = await fetch(`${served.origin}/api/${method}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  return { status: res.status, body: (await res.json()) as B };
}

/** `weir serve` exited before printing its URL. */
export class ServeExited extends Error {
  constructor(
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`weir serve exited with ${code}: ${stderr.trim()}`);
  }
}

/** Starts `weir serve` on a free port, as a user would, and waits for its URL. */
export function startServe(opts: ServeOptions = {}): Promise<Served> {
  const cli = opts.bundle ? [join(repo, 'bin', 'weir.cjs')] : sourceCli();
  const args = [...cli, 'serve', '--port', String(opts.port ?? 0), ...(opts.browser ? [] : ['--no-open']), ...(opts.args ?? [])];
  if (opts.workspace) args.push('--workspace', opts.workspace);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (opts.home !== undefined) env.WEIR_HOME = opts.home;
  if (opts.browser) env.WEIR_BROWSER = opts.browser;
  const child = spawn(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let out = '';
  /** Links printed so far, in order; `newUrl` waits for the next one. */
  const links: string[] = [];
  const waiting: (() => void)[] = [];
  return new Promise((resolve, reject) => {
    let err = '';
    let started = false;
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      links.splice(0, links.length, ...[...out.matchAll(LINK)].map((m) => `${m[1]}/#launch=${m[2]}`));
      for (const w of waiting.splice(0)) w();
      const first = links[0];
      if (first && !started) {
        started = true;
        const origin = new URL(first).origin;
        /** One at a time: each waits for the next line weir serve prints. */
        const newUrl = async () => {
          const before = links.length;
          const arrived = new Promise<void>((r) => {
            const check = () => (links.length > before ? r() : waiting.push(check));
            check();
          });
          // A browser without a session asking to start one: weir serve prints a new link.
          const res = await fetch(`${origin}/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
          if (res.status !== 401) throw new Error(`expected 401 from /launch without a code, got ${res.status}`);
          await arrived;
          return links[before]!;
        };
        resolve({
          child,
          url: first,
          origin,
          stdout: () => out,
          newUrl,
          signIn: async () => signInWith(await newUrl()),
          stop: () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    void exited.then((code) => reject(new ServeExited(code, err)));
  });
}
