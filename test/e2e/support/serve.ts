import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repo } from './renderer-build';

export interface Served {
  child: ChildProcess;
  /** The URL weir serve printed, with its token. */
  url: string;
  origin: string;
  token: string;
  /** SIGTERM, then resolves with the exit code once the server has exited. */
  stop(): Promise<number | null>;
}

export interface ServeOptions {
  workspace?: string;
  /** WEIR_HOME of the server; the caller's own when left out. */
  home?: string;
  /** Run the committed bundle bin/weir.cjs on plain Node (as `npx weir` does) instead of the source through tsx. */
  bundle?: boolean;
  /** `--port`; 0 (any free port) by default. */
  port?: number | string;
  /** More arguments after `serve --port P --no-open`. */
  args?: string[];
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
  const cli = opts.bundle ? [join(repo, 'bin', 'weir.cjs')] : ['--import', 'tsx', 'src-main/cli/index.ts'];
  const args = [...cli, 'serve', '--port', String(opts.port ?? 0), '--no-open', ...(opts.args ?? [])];
  if (opts.workspace) args.push('--workspace', opts.workspace);
  const env = opts.home === undefined ? process.env : { ...process.env, WEIR_HOME: opts.home };
  const child = spawn(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /Weir designer: (http:\/\/127\.0\.0\.1:\d+\/)#token=([\w-]+)/.exec(out);
      if (m) {
        resolve({
          child,
          url: `${m[1]}#token=${m[2]}`,
          origin: m[1]!.replace(/\/$/, ''),
          token: m[2]!,
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
