import { isEnvRef, SECRET_HEADER } from '../../shared/api/connection-schemas';

/** The connection form's fields per kind, in the order the workspace file writes them. */
export type ConnectionKind = 'folder' | 's3' | 'postgres' | 'http';
export const CONNECTION_KINDS: readonly ConnectionKind[] = ['folder', 's3', 'postgres', 'http'];
export const KIND_LABEL: Record<ConnectionKind, string> = { folder: 'Local folder', s3: 'S3 / MinIO', postgres: 'PostgreSQL', http: 'HTTP API' };

export interface FieldDef {
  key: string;
  label: string;
  type: 'text' | 'number' | 'bool' | 'select' | 'secret';
  placeholder?: string;
  help?: string;
  required?: boolean;
  options?: readonly string[];
  /** Default of a checkbox. */
  defaultOn?: boolean;
}

export const FIELDS: Record<ConnectionKind, FieldDef[]> = {
  folder: [{ key: 'path', label: 'Folder', type: 'text', placeholder: 'data', help: 'relative to the workspace folder, or absolute', required: true }],
  s3: [
    { key: 'bucket', label: 'Bucket', type: 'text', placeholder: 'cgt-lake', required: true },
    { key: 'endpoint', label: 'Endpoint', type: 'text', placeholder: 'http://minio:9000', help: 'MinIO or another S3-compatible server; empty for AWS' },
    { key: 'region', label: 'Region', type: 'text', placeholder: 'us-east-1' },
    { key: 'root', label: 'Key prefix', type: 'text', placeholder: 'cgt/', help: 'every path is below it' },
    { key: 'force_path_style', label: 'Path-style addressing (MinIO needs it)', type: 'bool', defaultOn: true },
    { key: 'access_key_id', label: 'Access key id', type: 'secret', help: 'empty: the standard AWS chain (AWS_* variables, profiles, roles)' },
    { key: 'secret_access_key', label: 'Secret access key', type: 'secret' },
    { key: 'session_token', label: 'Session token', type: 'secret' },
  ],
  postgres: [
    { key: 'host', label: 'Host', type: 'text', placeholder: 'PGHOST or localhost' },
    { key: 'port', label: 'Port', type: 'number', placeholder: 'PGPORT or 5432' },
    { key: 'database', label: 'Database', type: 'text', placeholder: 'PGDATABASE' },
    { key: 'user', label: 'User', type: 'text', placeholder: 'PGUSER' },
    { key: 'password', label: 'Password', type: 'secret', help: 'empty: PGPASSWORD' },
    { key: 'sslmode', label: 'SSL mode', type: 'select', options: ['', 'disable', 'prefer', 'require', 'verify-ca', 'verify-full'] },
  ],
  http: [{ key: 'base_url', label: 'Base URL', type: 'text', placeholder: 'https://api.example/v1', required: true }],
};

/** `${env:NAME}` → NAME, else null. */
export const refName = (v: unknown): string | null => (isEnvRef(v) ? String(v).slice(6, -1) : null);

/** A secret's default name: the connection's and the field's, as an environment variable is spelled. */
export const secretNameFor = (connection: string, field: string): string => `${connection}_${field}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^([0-9])/, '_$1');

export const isSecretHeader = (name: string): boolean => SECRET_HEADER.test(name);

/** One line saying where a connection points. */
export function summarize(spec: Record<string, unknown>): string {
  const s = (k: string) => (typeof spec[k] === 'string' || typeof spec[k] === 'number' ? String(spec[k]) : '');
  switch (spec.kind) {
    case 'folder':
      return s('path');
    case 's3':
      return `s3://${s('bucket')}/${s('root')}${spec.endpoint ? ` at ${s('endpoint')}` : ''}`;
    case 'postgres':
      return `${s('user') || '$PGUSER'}@${s('host') || '$PGHOST'}:${s('port') || '5432'}/${s('database') || '$PGDATABASE'}`;
    case 'http':
      return s('base_url');
    default:
      return '';
  }
}
