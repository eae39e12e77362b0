import { z } from 'zod';
import { defineConnectionKind } from '../define';
import { secretish, text } from '../values';

export const postgresConnection = z.strictObject({
  kind: z.literal('postgres'),
  /** Each falls back to the standard PG* environment variable. */
  host: secretish.optional(),
  port: z.union([z.number().int(), secretish]).optional(),
  database: secretish.optional(),
  user: secretish.optional(),
  password: secretish.optional(),
  sslmode: z.enum(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
});

export const postgresConnectionKind = defineConnectionKind({
  kind: 'postgres',
  label: 'PostgreSQL',
  schema: postgresConnection,
  form: [
    { key: 'host', label: 'Host', placeholder: 'PGHOST or localhost' },
    { key: 'port', label: 'Port', placeholder: 'PGPORT or 5432' },
    { key: 'database', label: 'Database', placeholder: 'PGDATABASE' },
    { key: 'user', label: 'User', placeholder: 'PGUSER' },
    { key: 'password', label: 'Password', help: 'empty: PGPASSWORD' },
    { key: 'sslmode', label: 'SSL mode', emptyOption: '(PGSSLMODE or prefer)' },
  ],
  secrets: ['password'],
  // Where the server is goes in clear on every connection; masking it would hide which server failed.
  locations: { host: 'value', port: 'value' },
  describe: (spec) => `${text(spec.user) || '$PGUSER'}@${text(spec.host) || '$PGHOST'}:${text(spec.port) || '5432'}/${text(spec.database) || '$PGDATABASE'}`,
});
