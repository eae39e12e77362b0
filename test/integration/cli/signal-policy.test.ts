import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';

const SIGNALS = fileURLToPath(new URL('../../../src-main/cli/support/signals.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const dir = tempDir('weir-signal-unit-');

/** Runs a script against the signal module in a process of its own (it installs process-wide handlers). */
function script(name: string, body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }> {
  const path = join(dir, `${name}.mts`);
  writeFileSync(path, `import { installSignalHandlers, cancelOnSignal, holdExit, signalExitCode } from ${JSON.stringify(SIGNALS)};\n${body}\nsetTimeout(() => {}, 20_000);\n`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
}

describe('one process-wide signal policy', () => {
  it('without a run, the first signal ends the process with 128 + its number and one line', async () => {
    const res = await script('plain', `installSignalHandlers(); process.kill(process.pid, 'SIGINT');`);
    expect(res.code).toBe(130);
    expect(res.stderr).toBe('weir: stopped by SIGINT\n');
  });

  it('in a run, the first signal aborts the run; a second one ends the process at once', async () => {
    const res = await script(
      'run',
      `installSignalHandlers();
       cancelOnSignal().addEventListener('abort', () => {
         process.stdout.write('aborted ' + signalExitCode() + '\\n');
         setTimeout(() => process.kill(process.pid, 'SIGTERM'), 100);
       });
       process.kill(process.pid, 'SIGTERM');`,
    );
    expect(res.stdout).toBe('aborted 143\n');
    // By the signal itself (a shell reports 143): process.exit would wait for a DuckDB statement
    // that ignores its interrupt (test/integration/security/endless-sql.test.ts).
    expect([res.code, res.signal]).toEqual([null, 'SIGTERM']);
    expect(res.stderr).toBe('weir: stopped by SIGTERM before the run finished cancelling\n');
  });

  it('holdExit: a second signal while publishing waits for it to settle, then exits', async () => {
    const res = await script(
      'hold',
      `installSignalHandlers();
       cancelOnSignal().addEventListener('abort', () => process.stdout.write('aborted\\n'));
       void holdExit(new Promise((r) => setTimeout(r, 1500)).then(() => process.stdout.write('published\\n')));
       process.kill(process.pid, 'SIGTERM');
       setTimeout(() => process.kill(process.pid, 'SIGTERM'), 200);
       setTimeout(() => process.kill(process.pid, 'SIGINT'), 400);`,
    );
    expect(res.stdout).toBe('aborted\npublished\n');
    expect(res.stderr).toBe('weir: SIGTERM: publishing is in progress; stopping as soon as it has settled\nweir: stopped by SIGTERM\n');
    expect(res.code).toBe(143);
    expect(res.ms).toBeGreaterThanOrEqual(1500);
  });

  it('a command that waits for the signal itself (weir serve) is left to stop on its own', async () => {
    const res = await script(
      'own',
      `installSignalHandlers();
       process.on('SIGTERM', () => { process.stdout.write('stopping my server\\n'); process.exit(0); });
       process.kill(process.pid, 'SIGTERM');`,
    );
    expect(res.stdout).toBe('stopping my server\n');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  });
});
