import { describe, expect, it } from 'vitest';
import { postgresSinkConfig } from '../../../shared/nodes/postgres-sink';
import { postgresSourceConfig } from '../../../shared/nodes/postgres-source';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import { stagingName } from '../../../src-main/engine/postgres/publish';
import { runtimeKinds } from '../../../src-main/engine/nodes/registry';

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('postgres_sink config', () => {
  it('defaults: schema public, mode replace, no key, lock timeout 10 s', () => {
    expect(postgresSinkConfig.parse({ connection: 'mart', table: 'batch_release' })).toEqual({
      connection: 'mart',
      schema: 'public',
      table: 'batch_release',
      mode: 'replace',
      key: [],
      column_comments: {},
      lock_timeout_seconds: 10,
    });
  });

  it('upsert needs key columns, listed once', () => {
    expect(issues(postgresSinkConfig.safeParse({ connection: 'mart', table: 't', mode: 'upsert' }))).toEqual(['key: expected at least one key column for mode "upsert"']);
    expect(issues(postgresSinkConfig.safeParse({ connection: 'mart', table: 't', mode: 'upsert', key: ['id', 'id'] }))).toEqual(['key.1: key column "id" is listed twice']);
  });

  it('table and schema are plain identifiers (quoted anyway when used)', () => {
    expect(issues(postgresSinkConfig.safeParse({ connection: 'mart', table: 'batch release; drop table x' }))[0]).toMatch(/^table: expected an SQL identifier/);
    expect(issues(postgresSinkConfig.safeParse({ connection: 'mart', table: 't', mode: 'merge' }))[0]).toMatch(/^mode: /);
  });

  it('the default config a palette drop gives is valid, and both kinds have a runtime', () => {
    for (const kind of ['postgres_sink', 'postgres_source']) {
      const spec = nodeKindSpec(kind)!;
      expect(spec.config.safeParse(spec.defaults()).success).toBe(true);
      expect(runtimeKinds()).toContain(kind);
    }
    expect(nodeKindSpec('postgres_sink')).toMatchObject({ category: 'sink', inputs: { min: 1, max: 1 } });
    expect(nodeKindSpec('postgres_source')).toMatchObject({ category: 'source', inputs: { min: 0, max: 0 } });
  });
});

describe('postgres_source config', () => {
  it('reads a table or a query, not both, not neither', () => {
    expect(postgresSourceConfig.parse({ connection: 'mart', table: 'batches' })).toEqual({ connection: 'mart', schema: 'public', table: 'batches' });
    expect(postgresSourceConfig.safeParse({ connection: 'mart', query: ['select 1'] }).success).toBe(true);
    expect(issues(postgresSourceConfig.safeParse({ connection: 'mart' }))).toEqual(['table: expected a table or a query']);
    expect(issues(postgresSourceConfig.safeParse({ connection: 'mart', table: 't', query: ['select 1'] }))).toEqual(['query: expected a table or a query, not both']);
  });
});

describe('stagingName', () => {
  it('fits in 63 bytes, is unique per run and keeps the table name readable', () => {
    const long = 'a'.repeat(63);
    const one = stagingName(long, 'run-1');
    expect(one.length).toBeLessThanOrEqual(63);
    expect(one).toMatch(/^a{40}__weir_stage_[0-9a-f]{8}$/);
    expect(stagingName(long, 'run-2')).not.toBe(one);
    expect(stagingName('batch_release', 'run-1')).toMatch(/^batch_release__weir_stage_[0-9a-f]{8}$/);
  });
});
