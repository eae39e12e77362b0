import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextFromEnvironment } from '../../../src-main/engine/default-context';
import { lockState } from '../../../src-main/engine/duckdb/instance';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/**
 * DuckDB's memory and spill bounds for a machine where its defaults (80 % of RAM, 90 % of the
 * spill disk's free space) are too much: WEIR_DUCKDB_MEMORY_LIMIT and WEIR_DUCKDB_MAX_SPILL set
 * them when an instance is made; they are locked with the rest, and a node whose SQL would take
 * more fails with one line naming it instead of taking the machine's memory.
 */

describe('WEIR_DUCKDB_MEMORY_LIMIT and WEIR_DUCKDB_MAX_SPILL', () => {
  it('bound the locked instance, and no SQL can raise them', async () => {
    const dir = tempDir('weir-bounds-');
    const ctx = contextFromEnvironment({ ...process.env, WEIR_DUCKDB_TEMP: join(dir, 'spill'), WEIR_DUCKDB_MEMORY_LIMIT: '300MB', WEIR_DUCKDB_MAX_SPILL: '2GB' });
    const instance = await ctx.duckdb([dir]);
    const state = await lockState(instance);
    expect(state.memory_limit).toBe('300.0 MiB');
    expect(state.max_temp_directory_size).toBe('2.0 GiB');
    expect(state.lock_configuration).toBe('true');
    const conn = await instance.connect();
    await expect(conn.run("SET memory_limit = '10GB'")).rejects.toThrow(/lock|configuration/i);
    await expect(conn.run('RESET memory_limit')).rejects.toThrow(/lock|configuration/i);
    conn.closeSync();
  });

  it('a node that would take more memory fails with one line naming it; nothing is published', { timeout: 60_000 }, async () => {
    const ws = tempDir('weir-bounds-run-');
    mkdirSync(join(ws, 'pipelines'));
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
    const nodes = [
      { id: 's1', name: 's1', kind: 'seed', inputs: [], config: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1]] } },
      // A list of a hundred billion numbers: endless memory, were it not bounded.
      { id: 'q', name: 'huge', kind: 'sql', inputs: ['s1'], config: { sql: ['select list(range) as l from range(100000000000)'] } },
      { id: 'out', name: 'out', kind: 'file_sink', inputs: ['q'], config: { path: 'out/huge.parquet', format: 'parquet' } },
    ];
    const file = join(ws, 'pipelines', 'huge.weir.json');
    writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'huge', params: {}, nodes, layout: {} }));
    const run = await runWeir(['run', file], { cwd: ws, env: { WEIR_DUCKDB_MEMORY_LIMIT: '100MB' } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^weir: node "out": Out of Memory Error: .*100\.0 MiB used\)\n$/);
    expect(existsSync(join(ws, 'out')) ? readdirSync(join(ws, 'out')).filter((f) => f.endsWith('.parquet')) : []).toEqual([]);
  });
});
