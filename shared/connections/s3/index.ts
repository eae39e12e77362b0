import { z } from 'zod';
import { defineConnectionKind } from '../define';
import { secretish, text } from '../values';

export const s3Connection = z.strictObject({
  kind: z.literal('s3'),
  bucket: secretish,
  /** Custom endpoint for MinIO and other S3-compatible servers; omit for AWS. */
  endpoint: secretish.optional(),
  region: secretish.default('us-east-1'),
  /** MinIO needs path-style addressing. */
  force_path_style: z.boolean().default(true),
  /** Omit both to use the standard AWS chain (AWS_ACCESS_KEY_ID, profiles, roles). */
  access_key_id: secretish.optional(),
  secret_access_key: secretish.optional(),
  session_token: secretish.optional(),
  /** Key prefix inside the bucket that this connection is rooted at. */
  root: z.string().default(''),
  /** Files above this size (MiB) upload as multipart uploads and download as parallel ranged GETs; setting it sets both. Defaults: uploads split above 16, downloads above 64. */
  multipart_threshold_mb: z.number().positive().optional(),
  /** Part size (MiB) for those transfers; S3 and MinIO need at least 5; default 8. */
  part_size_mb: z.number().min(5).optional(),
});

export const s3ConnectionKind = defineConnectionKind({
  kind: 's3',
  label: 'S3 / MinIO',
  schema: s3Connection,
  form: [
    { key: 'bucket', label: 'Bucket', placeholder: 'cgt-lake' },
    { key: 'endpoint', label: 'Endpoint', placeholder: 'http://minio:9000', help: 'MinIO or another S3-compatible server; empty for AWS' },
    { key: 'region', label: 'Region', placeholder: 'us-east-1' },
    { key: 'root', label: 'Key prefix', placeholder: 'cgt/', help: 'every path is below it' },
    { key: 'force_path_style', label: 'Path-style addressing (MinIO needs it)' },
    { key: 'access_key_id', label: 'Access key id', help: 'empty: the standard AWS chain (AWS_* variables, profiles, roles)' },
    { key: 'secret_access_key', label: 'Secret access key' },
    { key: 'session_token', label: 'Session token' },
  ],
  secrets: ['access_key_id', 'secret_access_key', 'session_token'],
  // Errors name the endpoint's origin; a path or user info in it stays masked.
  locations: { endpoint: 'origin' },
  describe: (spec) => `s3://${text(spec.bucket)}/${text(spec.root)}${spec.endpoint ? ` at ${text(spec.endpoint)}` : ''}`,
});
