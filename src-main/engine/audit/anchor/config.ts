import { join } from 'node:path';
import { z } from 'zod';
import { WeirError } from '../../../../shared/errors';
import { identifier } from '../../../../shared/nodes/common';
import { readRegularText } from '../../host/regular-file';

/**
 * `weir.audit.json` at the workspace root (under version control, reviewed like code): where
 * the audit trail's head is anchored outside `.weir/`. Without the file: the git anchor is on
 * (when the workspace is in a git repository) for every entry, and there is no lake mirror.
 */
export const AUDIT_CONFIG_FILE = 'weir.audit.json';

const entryTypes = z.array(z.enum(['run', 'signature', 'state'])).min(1);

export const auditConfigSchema = z.strictObject({
  format: z.literal('weir.audit'),
  version: z.literal(1),
  git: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Which entry types move the anchor (the anchor names the head, so it covers every entry before it). */
      entries: entryTypes.default(['run', 'signature', 'state']),
    })
    .optional(),
  lake: z
    .strictObject({
      /** An `s3` or `folder` connection of the workspace. */
      connection: z.string().min(1),
      /** Folder inside the connection: entries are `<prefix>/<seq, 12 digits>.json`. */
      prefix: z.string().min(1).regex(/^[A-Za-z0-9._\-/]+$/, 'letters, digits, . _ - and /').refine((p) => !p.split('/').includes('..') && !p.startsWith('/'), 'must stay inside the connection'),
      /** The environment whose connection settings are used; the workspace's default otherwise. */
      environment: z.string().min(1).optional(),
      /** S3 Object Lock retention (COMPLIANCE mode) for this many days on each entry, where the bucket has Object Lock. */
      objectLockDays: z.number().int().min(1).max(36500).optional(),
      /**
       * `required` (default): refuse to mirror to a store that ignores If-None-Match (found by a
       * probe). `single-writer`: mirror anyway, for a trail only one machine ever appends to.
       */
      conditionalWrites: z.enum(['required', 'single-writer']).default('required'),
    })
    .optional(),
  /**
   * A copy of every lot's (or run's) current release state in a PostgreSQL table, for
   * dashboards (signatures/release-table.ts): refreshed after each signing and each recorded run.
   */
  releaseTable: z
    .strictObject({
      /** A `postgres` connection of the workspace. */
      connection: z.string().min(1),
      /** The environment whose connection settings are used; the workspace's default otherwise. */
      environment: z.string().min(1).optional(),
      schema: identifier.default('public'),
      table: identifier.default('weir_release_state'),
    })
    .optional(),
});
export type AuditConfig = z.infer<typeof auditConfigSchema>;

export interface ResolvedAuditConfig {
  git: { enabled: boolean; entries: readonly string[] };
  lake: NonNullable<AuditConfig['lake']> | null;
  releaseTable: NonNullable<AuditConfig['releaseTable']> | null;
  /** Whether the file exists (else: the defaults). */
  fromFile: boolean;
}

const DEFAULTS: ResolvedAuditConfig = { git: { enabled: true, entries: ['run', 'signature', 'state'] }, lake: null, releaseTable: null, fromFile: false };

/** The workspace's audit configuration; a bad file is an error naming the field. */
export async function readAuditConfig(workspaceRoot: string): Promise<ResolvedAuditConfig> {
  let text: string;
  try {
    text = await readRegularText(join(workspaceRoot, AUDIT_CONFIG_FILE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULTS;
    throw e instanceof WeirError ? e : new WeirError('invalid', `${AUDIT_CONFIG_FILE}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new WeirError('invalid', `${AUDIT_CONFIG_FILE}: not valid JSON`);
  }
  const parsed = auditConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WeirError('invalid', `${AUDIT_CONFIG_FILE}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const c = parsed.data;
  return { git: { enabled: c.git?.enabled ?? true, entries: c.git?.entries ?? DEFAULTS.git.entries }, lake: c.lake ?? null, releaseTable: c.releaseTable ?? null, fromFile: true };
}
