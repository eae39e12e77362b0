import { execFileSync } from 'node:child_process';
import { cpus, totalmem, platform, release, arch, loadavg } from 'node:os';
import { version as duckdbVersion } from '@duckdb/node-api';

export interface Machine {
  cpu: string;
  cores: number;
  ramGB: number;
  os: string;
  node: string;
  duckdb: string;
  chromium: string | null;
  postgres: string | null;
  gitCommit: string | null;
  /** Tracked files changed since that commit (outside bench/ and docs/): the figures measure them too. */
  gitDirty: boolean | null;
  /** Load average when the bench started: the machine may be shared. */
  loadAvg1m: number;
}

function tryRun(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

function dirty(): boolean | null {
  const out = tryRun('git', ['status', '--porcelain', '--untracked-files=no']);
  if (out === null) return null;
  return out.split('\n').some((l) => l.trim() && !/^..\s(bench|docs)\//.test(l));
}

export function describeMachine(): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    ramGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    duckdb: duckdbVersion(),
    chromium: tryRun('/usr/bin/chromium', ['--version']),
    postgres: null,
    gitCommit: tryRun('git', ['rev-parse', '--short', 'HEAD']),
    gitDirty: dirty(),
    loadAvg1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.ramGB} GB RAM, ${m.os}; Node ${m.node}, DuckDB ${m.duckdb}${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}${m.chromium ? `, ${m.chromium}` : ''}`;
}
