import { describe, expect, it } from 'vitest';
import { readAuditPayload, readRunRecord, runRecordFormat, runRecordMigrations } from '../../../../shared/run/formats';
import { RUN_RECORD_VERSION, type RunRecord } from '../../../../shared/run/record';
import { readStored, type Migration } from '../../../../shared/run/versioned';
import { fakeRecord } from '../../audit/fake-record';
import { fullRecord, intent, reconciled } from './samples';

const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected it to throw');
};

describe('reading a stored run record', () => {
  it('reads version 3 as it is, and versions 1 and 2 (no node times, no userHint, no reason) migrated for display, never changed', () => {
    for (const r of [fakeRecord(1), fullRecord()]) expect(readRunRecord(structuredClone(r))).toEqual({ value: r, migratedFrom: null });
    expect(RUN_RECORD_VERSION).toBe(3);
    expect(runRecordMigrations.map((m) => [m.from, m.to])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    for (const version of [1, 2]) {
      const old = { ...fakeRecord(1), version };
      const before = JSON.stringify(old);
      expect(readRunRecord(old)).toEqual({ value: fakeRecord(1), migratedFrom: version });
      expect(JSON.stringify(old)).toBe(before);
    }
  });

  it('refuses a newer version with what to do', () => {
    expect(message(() => readRunRecord({ ...fakeRecord(1), version: 4 }))).toBe(
      'written by a newer Weir (run record version 4); this Weir reads versions up to 3. Upgrade Weir to read it.',
    );
  });

  it('refuses what is not a run record, in one line', () => {
    expect(message(() => readRunRecord([1, 2]))).toBe('not a Weir run record: expected a JSON object, got an array');
    expect(message(() => readRunRecord({ format: 'weir.pipeline', version: 1 }))).toBe('not a Weir run record: "format": "weir.pipeline" (expected "weir.run")');
    expect(message(() => readRunRecord({ runId: 'x' }))).toBe('not a Weir run record: no "format" field (expected "weir.run")');
    expect(message(() => readRunRecord({ ...fakeRecord(1), version: '1' }))).toBe('run record version: expected an integer, got "1"');
    expect(message(() => readRunRecord({ format: 'x'.repeat(5000) }))).toMatch(/^not a Weir run record: "format": "x{56}\.\.\. \(expected "weir\.run"\)$/);
  });

  it('names the JSON path of a damaged field', () => {
    const r = fakeRecord(1) as unknown as { nodes: { status: string }[] };
    r.nodes[0]!.status = 'exploded';
    expect(message(() => readRunRecord(r))).toMatch(/^not a valid run record: nodes\[0\]\.status: .*"done"/);
    const { params: _params, ...noParams } = fakeRecord(1);
    expect(message(() => readRunRecord(noParams))).toMatch(/^not a valid run record: params: /);
    expect(message(() => readRunRecord({ ...fakeRecord(1), extra: 1 }))).toMatch(/^not a valid run record: .*"extra"/);
  });
});

/**
 * The migration mechanism, with a made-up version 0 (no such version was ever written): the
 * pipeline was a file path only, nodes were a map by id, and the time was `when`.
 */
const v0ToV1: Migration = {
  from: 0,
  to: 1,
  describe: 'made-up v0: pipeline as a path, nodes keyed by id, `when` for the start',
  migrate(doc) {
    const { pipeline, nodes, when, ...rest } = doc as { pipeline: string; nodes: Record<string, Record<string, unknown>>; when: string };
    return {
      ...rest,
      version: 1,
      pipeline: { name: pipeline.replace(/^.*\//, '').replace(/\.weir\.json$/, ''), file: pipeline, sha256: '0'.repeat(64), gitCommit: null, gitDirty: null },
      nodes: Object.entries(nodes).map(([id, n]) => ({ id, ...n })),
      startedAt: when,
    };
  },
};

function v0Record(): Record<string, unknown> {
  const { pipeline, nodes, startedAt, ...rest } = fakeRecord(3);
  return {
    ...rest,
    version: 0,
    pipeline: pipeline.file,
    nodes: Object.fromEntries(nodes.map(({ id, ...n }) => [id, n])),
    when: startedAt,
  };
}

describe('the migration chain of stored run formats', () => {
  const withChain = (migrations: Migration[]) => ({ ...runRecordFormat, migrations: [...migrations, ...runRecordMigrations] });

  it('migrates an older shape for display, and never changes what was stored', () => {
    const stored = v0Record();
    const before = JSON.stringify(stored);
    const { value, migratedFrom } = readStored(withChain([v0ToV1]), stored);
    expect(migratedFrom).toBe(0);
    const expected: RunRecord = { ...fakeRecord(3), pipeline: { ...fakeRecord(3).pipeline, name: 'batch_release', sha256: '0'.repeat(64) } };
    expect(value).toEqual(expected);
    expect(JSON.stringify(stored)).toBe(before);
  });

  it('says which step is missing, and checks the migrated shape against the schema', () => {
    expect(message(() => readStored(withChain([]), v0Record()))).toBe('run record version 0: no migration from version 0');
    const broken: Migration = { ...v0ToV1, migrate: (d) => ({ ...v0ToV1.migrate(d), status: 'maybe' }) };
    expect(message(() => readStored(withChain([broken]), v0Record()))).toMatch(/^not a valid run record \(migrated from version 0\): status: /);
  });

  it('the real chain refuses the made-up version 0', () => {
    expect(message(() => readRunRecord(v0Record()))).toBe('run record version 0: no migration from version 0');
  });
});

describe('reading an audit entry payload by its format', () => {
  it('tells a run record, an intent and a reconciliation apart', () => {
    expect(readAuditPayload(fullRecord())).toEqual({ kind: 'run', record: fullRecord(), migratedFrom: null });
    expect(readAuditPayload(intent())).toEqual({ kind: 'intent', intent: intent(), migratedFrom: null });
    expect(readAuditPayload(reconciled())).toEqual({ kind: 'reconciled', reconciled: reconciled(), migratedFrom: null });
  });

  it('refuses an unknown payload, a newer intent and a damaged reconciliation', () => {
    expect(message(() => readAuditPayload({ format: 'weir.lot', runId: 'r' }))).toBe(
      'not a Weir audit entry payload: "format": "weir.lot" (expected "weir.run", "weir.publish_intent" or "weir.publish_reconciled")',
    );
    expect(message(() => readAuditPayload({ ...intent(), version: 3 }))).toMatch(/^written by a newer Weir \(publish intent version 3\)/);
    const r = reconciled() as unknown as { sinks: { published: unknown }[] };
    r.sinks[0]!.published = 'perhaps';
    expect(message(() => readAuditPayload(r))).toMatch(/^not a valid publish reconciliation: sinks\[0\]\.published: /);
  });
});
