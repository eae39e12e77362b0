import { nodeKindSpec } from '../nodes/registry';
import type { PartitionsSpec } from './partitions';
import type { Pipeline } from './schema';

/** One source's part in the lots (the API's `lotSourceInfo`, shared/api/lots-schemas.ts). */
export interface LotSourceInfo {
  node: string;
  kind: string;
  split: 'path' | 'hive' | 'column' | 'whole';
  fingerprint: 'contents' | 'pipeline' | 'none';
  note: string;
}

/**
 * Every source of a partitioned pipeline with how it takes part in the lots (docs/lots.md,
 * "Sources a fingerprint cannot see"): files and lake objects enter a lot's fingerprint by
 * their hashes or ETags; a seed's rows are part of the pipeline file, which the fingerprint
 * covers; a database query or an API is read again by every lot that runs, but a change there
 * does not make a lot "changed" (Weir cannot see one without reading it all).
 */
export function lotSources(p: Pipeline, spec: PartitionsSpec): LotSourceInfo[] {
  const out: LotSourceInfo[] = [];
  for (const n of p.nodes) {
    if (nodeKindSpec(n.kind)?.category !== 'source') continue;
    const how = spec.sources[n.id];
    const split: LotSourceInfo['split'] = how ? ('path' in how ? 'path' : 'hive' in how ? 'hive' : 'column') : 'whole';
    const fingerprint: LotSourceInfo['fingerprint'] = n.kind === 'file_source' || n.kind === 'lake_source' ? 'contents' : n.kind === 'seed' ? 'pipeline' : 'none';
    const note =
      fingerprint === 'contents'
        ? split === 'path' || split === 'hive'
          ? 'each lot reads its own files; a changed file makes its lot changed'
          : split === 'column'
            ? 'every lot reads the whole source and keeps its rows; a changed file makes every lot changed'
            : 'every lot reads all of it; a changed file makes every lot changed'
        : fingerprint === 'pipeline'
          ? 'its rows are in the pipeline file; editing them makes every lot changed'
          : 'read again by every lot that runs, but not in the fingerprints: a change in it does not make a lot changed (run --partitions all after one)';
    out.push({ node: n.name, kind: n.kind, split, fingerprint, note });
  }
  return out;
}
