import { z } from 'zod';
import { defineConnectionKind } from '../define';
import { secretish, text } from '../values';

/**
 * Where credentials may go when an API points elsewhere (a next page or a redirect at another
 * origin): refused, or asked without the headers and secret query values. The http source node
 * has the same setting (shared/nodes/http-source), which overrides the connection's.
 */
export const crossOriginPolicy = z.enum(['refuse', 'without_credentials']);

/** HTTP header names that carry credentials. */
export const SECRET_HEADER = /authorization|token|secret|password|passwd|api[-_]?key|cookie|(^|[-_])key$/i;

export const httpConnection = z.strictObject({
  kind: z.literal('http'),
  base_url: secretish,
  headers: z.record(z.string(), secretish).default({}),
  /** A next page or redirect at another origin: refused (default), or asked without the headers and secret query values. */
  cross_origin: crossOriginPolicy.optional(),
});

export const httpConnectionKind = defineConnectionKind({
  kind: 'http',
  label: 'HTTP API',
  schema: httpConnection,
  form: [{ key: 'base_url', label: 'Base URL', placeholder: 'https://api.example/v1' }],
  secretEntries: { field: 'headers', noun: 'header', names: SECRET_HEADER, label: 'Headers', placeholder: 'x-api-key' },
  // Messages name the API's origin; a token in its path or query stays masked.
  locations: { base_url: 'origin' },
  describe: (spec) => text(spec.base_url),
});
