import { serializeManifest, type LakeManifest } from '../../src-main/engine/storage/lake-manifest';

/** A lake output's manifest by run r2 naming `files`, with `superseded` kept from run r1 (for litter tests). */
export function manifest(files: string[], superseded: string[]): Buffer {
  const m: LakeManifest = {
    format: 'weir.lake.manifest',
    version: 1,
    run_id: 'r2',
    written_at: '2026-01-01T00:00:00Z',
    file_format: 'parquet',
    partition_by: [],
    mode: 'overwrite',
    rows: 1,
    files: files.map((key) => ({ key, path: key.split('/').pop()!, size: 1, etag: '"e"', run_id: 'r2' })),
    superseded: superseded.length ? [{ run_id: 'r1', keys: superseded }] : [],
  };
  return serializeManifest(m);
}
