import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeKind } from '../../../shared/nodes/define';
import { upgradeKindConfigs } from '../../../shared/nodes/kind-migrations';
import { nodeKinds } from '../../../shared/nodes/kinds';
import { kindRegistry } from '../../../shared/nodes/registry';
import { PIPELINE_VERSION } from '../../../shared/pipeline/schema';

/**
 * A kind at version 3: v1 wrote `n` as text, v2 made it a number, v3 renamed it `rows`. Each
 * step is the kind's own migrate hook; a pipeline format step would list the upgrade.
 */
const sample = defineNodeKind({
  kind: 'trial',
  version: 3,
  label: 'Sample',
  category: 'transform',
  summary: 'Keeps some rows',
  inputs: { min: 1, max: 1 },
  config: z.strictObject({ rows: z.number() }),
  defaults: () => ({ rows: 10 }),
  compile: (config, at) => ({ relation: 'view', statements: [`SELECT * FROM ${at.inputNames[0]} USING SAMPLE ${config.rows} ROWS`] }),
  migrate(config, from) {
    if (from === 1) return { ...config, n: Number(config.n) };
    const { n, ...rest } = config;
    return { ...rest, rows: n };
  },
});
const kinds = kindRegistry([...nodeKinds, sample]);

describe('kind versions', () => {
  it('upgrades every node of the kind one version at a time, and leaves other nodes as they are', () => {
    const other = { id: 'o', kind: 'sql', config: { sql: ['select 1'] } };
    const doc = { version: 1, nodes: [{ id: 's', kind: 'trial', config: { n: '25' } }, other] };
    const out = upgradeKindConfigs(doc, [{ kind: 'trial', from: 1, to: 3 }], kinds);
    expect(out.nodes).toEqual([{ id: 's', kind: 'trial', config: { rows: 25 } }, other]);
    expect((out.nodes as unknown[])[1]).toBe(other);
    expect(sample.config.parse((out.nodes as { config: unknown }[])[0]!.config)).toEqual({ rows: 25 });
    expect(upgradeKindConfigs(doc, [], kinds)).toBe(doc);
  });

  it('refuses upgrades it cannot make, in one line', () => {
    const doc = { nodes: [] };
    expect(() => upgradeKindConfigs(doc, [{ kind: 'trial', from: 1, to: 4 }], kinds)).toThrow('node kind "trial" cannot go from version 1 to 4 (it is at 3)');
    expect(() => upgradeKindConfigs(doc, [{ kind: 'sql', from: 1, to: 2 }], kinds)).toThrow('node kind "sql" cannot go from version 1 to 2 (it is at 1)');
    expect(() => upgradeKindConfigs(doc, [{ kind: 'nope', from: 1, to: 2 }], kinds)).toThrow('no node kind "nope" to upgrade');
  });

  it('has every kind at version 1 with no migration, as pipeline format 1 implies', () => {
    expect(PIPELINE_VERSION).toBe(1);
    expect(nodeKinds.filter((k) => k.version !== 1 || k.migrate).map((k) => k.kind)).toEqual([]);
  });
});
