import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmProtectedRun, protectedEnvironmentOf, type Prompt } from '../../../src-main/cli/support/protected-env';
import { tempDir } from '../../support/temp-dir';

/** `weir run` against a protected environment asks in a terminal, and only there (issue #15 item 9). */

function workspace(defaultEnv = 'dev'): string {
  const dir = tempDir('weir-protected-');
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(
    join(dir, 'weir.workspace.json'),
    JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: defaultEnv, environments: { dev: { connections: {} }, prod: { protected: true, connections: {} } } }),
  );
  return join(dir, 'pipelines', 'p.weir.json');
}

function prompt(interactive: boolean, answer: string): Prompt & { asked: string[] } {
  const asked: string[] = [];
  return { interactive, asked, ask: async (q) => (asked.push(q), answer) };
}

describe('weir run on a protected environment', () => {
  it('finds the environment a run would use: --env, else the default', () => {
    const file = workspace();
    expect(protectedEnvironmentOf(file, 'prod')).toBe('prod');
    expect(protectedEnvironmentOf(file, 'dev')).toBeNull();
    expect(protectedEnvironmentOf(file, undefined)).toBeNull();
    expect(protectedEnvironmentOf(workspace('prod'), undefined)).toBe('prod');
    expect(protectedEnvironmentOf(join(tempDir(), 'loose.weir.json'), 'prod')).toBeNull();
  });

  it('asks in a terminal: yes runs, anything else stops before the run (exit 2)', async () => {
    const file = workspace();
    const yes = prompt(true, 'y');
    await confirmProtectedRun(file, 'prod', false, yes);
    expect(yes.asked[0]).toContain('"prod" is a protected environment');
    await expect(confirmProtectedRun(file, 'prod', false, prompt(true, ''))).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('pass --yes') });
    await expect(confirmProtectedRun(file, 'prod', false, prompt(true, 'nope'))).rejects.toThrow('not run');
  });

  it('asks nothing with --yes, without a terminal (cron, CI, orchestrators), or for an unprotected environment', async () => {
    const file = workspace();
    for (const [env, yes, p] of [
      ['prod', true, prompt(true, 'n')],
      ['prod', false, prompt(false, 'n')],
      ['dev', false, prompt(true, 'n')],
    ] as const) {
      await confirmProtectedRun(file, env, yes, p);
      expect(p.asked).toEqual([]);
    }
  });
});
