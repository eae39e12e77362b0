import type { ConnectionKind, FormField } from '../../shared/connections/define';
import { connectionKind, connectionKinds, type ConnectionKindName } from '../../shared/connections/kinds';
import { isEnvRef } from '../../shared/connections/values';

/**
 * The connection form reads each kind's definition (shared/connections/<kind>/): its label,
 * its fields in the order the form shows them and which are secrets. Nothing here lists kinds.
 */
export type { ConnectionKindName, FormField };

/** The kinds the form offers, in the definitions' order. */
export const CONNECTION_KINDS: readonly ConnectionKind[] = connectionKinds;

export const kindLabel = (kind: string): string => connectionKind(kind)?.label ?? kind;

/** A kind's form fields, in the order it shows them (none for a kind this app does not know). */
export const formFields = (kind: string): readonly FormField[] => connectionKind(kind)?.form ?? [];

/** `${env:NAME}` → NAME, else null. */
export const refName = (v: unknown): string | null => (isEnvRef(v) ? String(v).slice(6, -1) : null);

/** A secret's default name: the connection's and the field's, as an environment variable is spelled. */
export const secretNameFor = (connection: string, field: string): string => `${connection}_${field}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^([0-9])/, '_$1');

/** One line saying where a connection points. */
export function summarize(spec: Record<string, unknown>): string {
  return connectionKind(spec.kind)?.describe(spec) ?? '';
}
