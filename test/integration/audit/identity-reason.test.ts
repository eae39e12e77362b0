import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/**
 * Who ran, and why (issue #18 item 4), through the committed CLI: the recorded user is the OS
 * account whatever WEIR_USER says (kept beside it as a display hint); `--reason` is kept in the
 * run record; signers.json can require a reason in protected environments.
 */
const PIPELINE = join('pipelines', 'p.weir.json');

function makeWorkspace(requireRunReason?: string): string {
  const ws = tempDir('weir-identity-');
  const environments = { dev: { connections: {} }, prod: { protected: true, connections: {} } };
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments }));
  mkdirSync(join(ws, 'pipelines'));
  const pipeline = { format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes: [{ id: 's', name: 'rows', kind: 'seed', config: { columns: [{ name: 'x', type: 'INTEGER' }], rows: [[1]] } }] };
  writeFileSync(join(ws, PIPELINE), JSON.stringify(pipeline));
  if (requireRunReason) writeFileSync(join(ws, 'signers.json'), JSON.stringify({ format: 'weir.signers', version: 1, signers: [], requireRunReason }));
  return ws;
}

async function run(ws: string, args: string[], env: Record<string, string> = {}) {
  const res = await runWeir(['run', join(ws, PIPELINE), '--json', ...args], { env });
  const started = res.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; runId?: string }).find((e) => e.type === 'run_started');
  const record = started ? (JSON.parse(readFileSync(join(ws, '.weir', 'runs', `${started.runId}.json`), 'utf8')) as RunRecord) : null;
  return { ...res, record };
}

describe('identity and reason in run records', () => {
  let ws: string;
  beforeAll(() => {
    ws = makeWorkspace();
  });

  it('records the OS account as the user; WEIR_USER only adds a hint beside it', async () => {
    const r = await run(ws, [], { WEIR_USER: 'QA Director (approved)' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.record).toMatchObject({ version: 3, user: userInfo().username, userHint: 'QA Director (approved)' });
    const plain = await run(ws, [], { WEIR_USER: '' });
    expect(plain.record!.user).toBe(userInfo().username);
    expect(plain.record!).not.toHaveProperty('userHint');
  }, 60_000);

  it('keeps --reason in the run record, and weir audit show prints the record with it', async () => {
    const r = await run(ws, ['--reason', 're-run after deviation DEV-12 was closed']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.record!.reason).toBe('re-run after deviation DEV-12 was closed');
    const shown = await runWeir(['audit', 'show', r.record!.runId, '--workspace', ws, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ record: { reason: 're-run after deviation DEV-12 was closed' } });
  }, 60_000);

  it('signers.json "requireRunReason": "protected" refuses a prod run without a reason, before anything runs', async () => {
    const guarded = makeWorkspace('protected');
    const refused = await run(guarded, ['--env', 'prod']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('a run in the protected environment "prod" needs a reason (weir run --reason "..."');
    expect(refused.record).toBeNull();
    // dev is not protected: no reason needed there.
    expect((await run(guarded, [])).code).toBe(0);
    const given = await run(guarded, ['--env', 'prod', '--reason', 'monthly release']);
    expect(given.code, given.stderr).toBe(0);
    expect(given.record).toMatchObject({ environment: 'prod', reason: 'monthly release' });
  }, 60_000);

  it('"always" asks a reason of every run', async () => {
    const always = makeWorkspace('always');
    const refused = await run(always, []);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('every run needs a reason');
  }, 60_000);
});
