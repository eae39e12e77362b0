import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { generatedSchemas } from '../../../../scripts/gen-json-schema';
import { protectedEnvironments, WORKSPACE_SCHEMA_PATH, workspaceV1 } from '../../../../shared/workspace/schema';

/** `protected: true` on an environment (issue #15 item 9), and the workspace file's JSON Schema. */

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const committed = () => readFileSync(`${root}/${WORKSPACE_SCHEMA_PATH}`, 'utf8');
const TEMPLATES = ['cgt-batch-release', 'cgt-bioreactor-trends', 'cgm-nightscout'];
const file = (environments: Record<string, unknown>) => ({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments });

describe('the workspace file', () => {
  it('takes protected: true on an environment, and files without the field stay valid and unprotected', () => {
    const parsed = workspaceV1.parse(file({ dev: { connections: {} }, prod: { protected: true, connections: {} }, qa: { protected: false } }));
    expect(protectedEnvironments(parsed)).toEqual(['prod']);
    const old = workspaceV1.parse(file({ dev: { connections: {} }, prod: { connections: {} } }));
    expect(protectedEnvironments(old)).toEqual([]);
    expect('protected' in old.environments.prod!).toBe(false);
  });

  it('refuses protected that is not a boolean', () => {
    const r = workspaceV1.safeParse(file({ prod: { protected: 'yes' } }));
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues[0]?.path)).toBe('["environments","prod","protected"]');
  });

  it('its committed JSON Schema is the one generated from the zod schema (run `npm run schema` when this fails)', () => {
    const generated = generatedSchemas().find((s) => s.path === WORKSPACE_SCHEMA_PATH);
    expect(generated, `gen-json-schema.ts writes ${WORKSPACE_SCHEMA_PATH}`).toBeDefined();
    expect(committed()).toBe(generated!.text);
  });

  it('the JSON Schema accepts the templates’ files and protected: true, and refuses protected: "yes"', () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(committed()));
    for (const t of TEMPLATES) {
      const json = JSON.parse(readFileSync(`${root}/templates/${t}/weir.workspace.json`, 'utf8'));
      expect(validate(json), `${t}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validate(file({ prod: { protected: true, connections: {} } }))).toBe(true);
    expect(validate(file({ prod: { protected: 'yes', connections: {} } }))).toBe(false);
    expect(validate(file({ prod: { protectd: true, connections: {} } }))).toBe(false);
  });
});
