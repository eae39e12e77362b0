import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { generatedSchemas } from '../../../../scripts/gen-json-schema';
import { AUDIT_ENTRY_SCHEMA_PATH } from '../../../../shared/run/audit-entry';
import { RUN_EVENTS_SCHEMA_PATH } from '../../../../shared/run/events';
import { RUN_RECORD_SCHEMA_PATH } from '../../../../shared/run/record';
import { appendAuditEntry, appendAuditRecord, auditLogPath } from '../../../../src-main/engine/audit/audit-log';
import { tempDir } from '../../../support/temp-dir';
import { fakeRecord } from '../../audit/fake-record';
import { everyEvent, fullRecord, intent, reconciled } from './samples';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const committed = (path: string) => readFileSync(`${root}/${path}`, 'utf8');
const validator = (path: string) => new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(committed(path)));

describe('the committed JSON Schemas of runs', () => {
  it.each([RUN_RECORD_SCHEMA_PATH, RUN_EVENTS_SCHEMA_PATH, AUDIT_ENTRY_SCHEMA_PATH])('%s is the one generated from the zod schemas (run `npm run schema` when this fails)', (path) => {
    const generated = generatedSchemas().find((s) => s.path === path);
    expect(generated, `gen-json-schema.ts writes ${path}`).toBeDefined();
    expect(committed(path)).toBe(generated!.text);
  });

  it('the run record schema accepts records with and without the optional fields, and refuses what is not one', () => {
    const validate = validator(RUN_RECORD_SCHEMA_PATH);
    for (const r of [fakeRecord(1), fullRecord()]) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...fakeRecord(1), status: 'exploded' })).toBe(false);
    expect(validate({ ...fakeRecord(1), version: 4 })).toBe(false);
    expect(validate({ ...fakeRecord(1), surprise: true })).toBe(false);
    const { host: _host, ...noHost } = fakeRecord(1);
    expect(validate(noHost)).toBe(false);
  });

  it('the run events schema accepts every event type and refuses an unknown one', () => {
    const validate = validator(RUN_EVENTS_SCHEMA_PATH);
    for (const e of everyEvent()) expect(validate(e), `${e.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(validate({ type: 'node_exploded', runId: 'r' })).toBe(false);
    expect(validate({ type: 'node_rows', runId: 'r', nodeId: 'a', name: 'lots' })).toBe(false);
  });

  it('the audit entry schema accepts the lines the audit log writes: a record, an intent, a reconciliation, a signature', async () => {
    const ws = tempDir('weir-schema-audit-');
    for (const p of [intent(), fullRecord(), reconciled()]) await appendAuditRecord(ws, p);
    await appendAuditEntry(ws, { type: 'signature', runId: fullRecord().runId, payload: { meaning: 'approved' }, files: [{ path: 'signers.json', sha256: 'a'.repeat(64) }] });
    const validate = validator(AUDIT_ENTRY_SCHEMA_PATH);
    const lines = readFileSync(auditLogPath(ws), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(validate(JSON.parse(l)), JSON.stringify(validate.errors)).toBe(true);
    const entry = JSON.parse(lines[0]!) as { record: Record<string, unknown> };
    expect(validate({ ...entry, record: { ...entry.record, format: 'weir.other' } })).toBe(false);
    expect(validate({ ...entry, hash: 'not a hash' })).toBe(false);
    const signature = JSON.parse(lines[3]!) as Record<string, unknown>;
    expect(signature.type).toBe('signature');
    expect(validate({ ...signature, record: entry.record })).toBe(false);
  });
});
