import { spawn, type ChildProcess } from 'node:child_process';
import { repo } from './renderer-build';

export interface Served {
  child: ChildProcess;
  /** The URL weir serve printed, with its token. */
  url: string;
  origin: string;
  token: string;
  stop(): Promise<void>;
}

/** Starts `weir serve` from source on a free port, as a user would, and waits for its URL. */
export function startServe(opts: { workspace?: string; home: string }): Promise<Served> {
  const args = ['--import', 'tsx', 'src-main/cli/index.ts', 'serve', '--port', '0', '--no-open'];
  if (opts.workspace) args.push('--workspace', opts.workspace);
  const child = spawn(process.execPath, args, { cwd: repo, env: { ...process.env, WEIR_HOME: opts.home }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /Weir designer: (http:\/\/127\.0\.0\.1:\d+\/)#token=([\w-]+)/.exec(out);
      if (m) {
        resolve({
          child,
          url: `${m[1]}#token=${m[2]}`,
          origin: m[1]!.replace(/\/$/, ''),
          token: m[2]!,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr!.on('data', (c) => (err += c));
    child.once('exit', (code) => reject(new Error(`weir serve exited with ${code}: ${err}`)));
  });
}
