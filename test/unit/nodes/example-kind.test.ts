import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { nodeKinds } from '../../../shared/nodes/kinds';
import { fieldHintsOf } from '../../../shared/nodes/lowcode';
import { kindRegistry, nodeSql, sqlFieldsOf } from '../../../shared/nodes/registry';
import type { SqlConfig } from '../../../shared/nodes/sql';
import { defineNodeRuntime } from '../../../src-main/engine/nodes/define';
import { nodeRuntime, runtimeKinds, runtimeRegistry } from '../../../src-main/engine/nodes/registry';
import type { CompileContext, RunContext } from '../../../src-main/engine/nodes/types';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { limitKind, type LimitConfig } from './example-kind/shared/nodes/limit';
import { limitRuntime } from './example-kind/src-main/engine/nodes/limit/runtime';

/**
 * The example of docs/node-kinds.md: a `limit` transform, written as its two folders would be
 * (test/unit/nodes/example-kind/ mirrors shared/nodes/limit/ and src-main/engine/nodes/limit/).
 * Nothing else is written for it: a registry of the app's kinds plus it knows it whole.
 */
const kinds = kindRegistry([...nodeKinds, limitKind]);
const appRuntimes = runtimeKinds().map(nodeRuntime);

describe('a new kind is its two folders', () => {
  it('joins a registry as a definition and a runtime; a definition without a runtime is refused', () => {
    const runtimes = runtimeRegistry(kinds, [...appRuntimes, limitRuntime]);
    expect(runtimes.get('limit')).toBe(limitRuntime);
    expect(() => runtimeRegistry(kinds, appRuntimes)).toThrow('node kind "limit" has no runtime in src-main/engine/nodes/');
    expect(() => runtimeRegistry(kindRegistry(nodeKinds), [...appRuntimes, limitRuntime])).toThrow(
      'the runtime of "limit" is not made from its kind\'s definition (defineNodeRuntime)',
    );
    expect(() => kindRegistry([...nodeKinds, limitKind, limitKind])).toThrow('node kind "limit" is defined twice');
  });

  it('gets its form, its SQL and its roles from its definition alone', () => {
    expect(kinds.get('limit')?.config.parse({ rows: 5 })).toEqual({ rows: 5, order_by: [] });
    expect(fieldHintsOf(limitKind.fields)).toEqual({ order_by: { type: 'column', input: 0 } });
    expect(sqlFieldsOf('limit', { rows: 5 }, kinds)).toEqual([]);
    expect(nodeSql('limit', { rows: 2, order_by: ['v'] }, { nodeName: 'top', inputNames: ['readings'], fanOut: 1 }, kinds)).toEqual({
      ok: true,
      sql: { relation: 'view', statements: ['CREATE OR REPLACE VIEW "top" AS SELECT *\nFROM readings\nORDER BY "v", COLUMNS(*)\nLIMIT 2\n'] },
    });
    expect(nodeSql('limit', { rows: 0 }, { nodeName: 'top', inputNames: ['readings'], fanOut: 1 }, kinds)).toMatchObject({ ok: false });
  });

  it('runs in DuckDB as its runtime compiles it, keeping the first rows in order', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await conn.run('CREATE TABLE readings AS SELECT * FROM (VALUES (3, \'c\'), (1, \'a\'), (2, \'b\'), (1, \'z\')) AS t(v, label)');
      const ctx: CompileContext<LimitConfig> = {
        node: { id: 'top', name: 'top', kind: 'limit', inputs: ['readings'], config: { rows: 3, order_by: ['v'] } },
        config: limitKind.config.parse({ rows: 3, order_by: ['v'] }),
        inputs: [{ id: 'readings', name: 'readings' }],
        fanOut: 1,
        workspace: {} as Workspace,
        runId: 'r1',
        pipelineFile: null,
      };
      for (const statement of limitRuntime.compile(ctx).statements) await conn.run(statement);
      const rows = (await conn.runAndReadAll('SELECT v, label FROM top')).getRowsJS();
      expect(rows).toEqual([
        [1, 'a'],
        [1, 'z'],
        [2, 'b'],
      ]);
      expect(limitRuntime.cacheable).toBe(true);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it('does not compile with a runtime typed for another kind\'s config', () => {
    const mismatched = () =>
      defineNodeRuntime(limitKind, {
        // @ts-expect-error a run typed for the sql kind's config is not the limit kind's runtime
        run: async (ctx: RunContext<SqlConfig>) => ({ rows: ctx.config.sql.length }),
      });
    expect(typeof mismatched).toBe('function');
  });
});

describe('docs/node-kinds.md shows the example as it is tested', () => {
  const root = join(import.meta.dirname, '../../..');
  const doc = readFileSync(join(root, 'docs/node-kinds.md'), 'utf8');
  /** The code block whose first line is `// <path>`. */
  const block = (path: string) => new RegExp('```ts\\n(// ' + path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + '\\n[\\s\\S]*?)```').exec(doc)?.[1];
  /** The example file as it would sit in the real tree: imports of Weir's own modules from there. */
  const asInTree = (file: string, up: string) => readFileSync(join(import.meta.dirname, 'example-kind', file), 'utf8').replaceAll(up, "'../");

  it('has both halves, word for word', () => {
    expect(block('shared/nodes/limit/index.ts')).toBe(asInTree('shared/nodes/limit/index.ts', "'../../../../../../../shared/nodes/"));
    expect(block('src-main/engine/nodes/limit/runtime.ts')).toBe(asInTree('src-main/engine/nodes/limit/runtime.ts', "'../../../../../../../../src-main/engine/nodes/"));
  });
});
