import { isAbsolute, resolve } from 'node:path';

export interface LineageConfig {
  /** Where events are POSTed (Marquez: http://host:5000/api/v1/lineage). */
  url: string | null;
  /** A JSON-lines file events are appended to. */
  file: string | null;
  /** The OpenLineage job namespace. */
  namespace: string;
  /** Sent as `Authorization: Bearer …`; read from the environment, never written anywhere. */
  apiKey: string | null;
  timeoutMs: number;
}

export type EnvLookup = (name: string) => string | undefined;

/**
 * OpenLineage is configured by the environment, like the OpenLineage clients themselves:
 * - WEIR_OPENLINEAGE_URL: the full endpoint URL events are POSTed to; or the standard
 *   OPENLINEAGE_URL (base URL) plus OPENLINEAGE_ENDPOINT (default `api/v1/lineage`);
 * - WEIR_OPENLINEAGE_FILE: a JSON-lines file to append events to (relative to the workspace);
 * - OPENLINEAGE_NAMESPACE (default `weir`), OPENLINEAGE_API_KEY (Bearer token).
 * Neither URL nor file set: no events.
 */
export function lineageConfig(env: EnvLookup, workspaceRoot: string): LineageConfig | null {
  const get = (n: string) => {
    const v = env(n)?.trim();
    return v ? v : undefined;
  };
  let url = get('WEIR_OPENLINEAGE_URL') ?? null;
  const base = get('OPENLINEAGE_URL');
  if (!url && base) {
    const endpoint = get('OPENLINEAGE_ENDPOINT') ?? 'api/v1/lineage';
    url = `${base.replace(/\/+$/, '')}/${endpoint.replace(/^\/+/, '')}`;
  }
  const fileSetting = get('WEIR_OPENLINEAGE_FILE');
  const file = fileSetting ? (isAbsolute(fileSetting) ? fileSetting : resolve(workspaceRoot, fileSetting)) : null;
  if (!url && !file) return null;
  const timeout = Number(get('WEIR_OPENLINEAGE_TIMEOUT_MS') ?? 5000);
  return {
    url,
    file,
    namespace: get('WEIR_OPENLINEAGE_NAMESPACE') ?? get('OPENLINEAGE_NAMESPACE') ?? 'weir',
    apiKey: get('OPENLINEAGE_API_KEY') ?? null,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 5000,
  };
}
