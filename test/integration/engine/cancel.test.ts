import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/run/events';
import { runPipelineFile } from '../../support/engine';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

const seed = { id: 's', name: 'src', kind: 'seed', inputs: [], config: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1], [2]] } };
// Billions of rows: far longer than any test waits, so only an interrupt can end it.
const slow = { id: 'q', name: 'slow', kind: 'sql', inputs: ['s'], config: { materialize: 'table', sql: ['select sum(hash(i, a)) as h', 'from src, range(5000000000) t(i)', 'group by a'] } };
const sink = { id: 'w', name: 'write', kind: 'file_sink', inputs: ['q'], config: { path: 'out/result.csv', format: 'csv' } };

function setup(nodes: unknown[]): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'p.weir.json');
  writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {} }));
  return { dir, file };
}

describe('cancel', () => {
  it('an abort interrupts DuckDB mid-query, marks the nodes and keeps the previous output', async () => {
    const { dir, file } = setup([seed, { ...slow, config: { sql: ['select a as h from src'] } }, sink]);
    expect((await runPipelineFile({ file })).status).toBe('succeeded');
    const before = readFileSync(join(dir, 'out/result.csv'), 'utf8');
    writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes: [seed, slow, sink], layout: {} }));

    const controller = new AbortController();
    const events: RunEvent[] = [];
    const outcome = await runPipelineFile({
      file,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'node_started' && e.name === 'slow') setTimeout(() => controller.abort(), 300);
      },
    });
    expect(outcome.status).toBe('cancelled');
    expect(outcome.record.nodes.map((n) => [n.name, n.status])).toEqual([
      ['src', 'done'],
      ['slow', 'cancelled'],
      ['write', 'cancelled'],
    ]);
    expect(events.find((e) => e.type === 'node_failed' && e.name === 'slow')).toMatchObject({ error: 'cancelled' });
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', status: 'cancelled' });
    expect(readFileSync(join(dir, 'out/result.csv'), 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'out'))).toEqual(['result.csv']);
  });

  it('Ctrl-C on `weir run` cancels cleanly with exit code 130 (128 + SIGINT)', async () => {
    const { file } = setup([seed, slow, sink]);
    const controller = new AbortController();
    const res = await runWeir(['run', file, '--json'], {
      signal: controller.signal,
      onStdout: (chunk) => {
        if (chunk.includes('"node_started"') && chunk.includes('"slow"')) setTimeout(() => controller.abort(), 300);
      },
    });
    expect(res.code).toBe(130);
    expect(res.stderr.trim()).toBe('weir: the run was cancelled');
    expect(res.stdout).toContain('"type":"run_finished"');
    expect(res.stdout).toContain('"status":"cancelled"');
  });
});
