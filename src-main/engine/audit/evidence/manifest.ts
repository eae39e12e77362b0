/** manifest.json of an evidence package: what is in it and the SHA-256 of every other file. */
export const EVIDENCE_FORMAT = 'weir.evidence';

export interface PackageFile {
  /** Relative to the package folder, forward slashes. */
  path: string;
  sha256: string;
  what: string;
}

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT;
  version: 1;
  createdAt: string;
  subject: { kind: 'run' | 'lot'; key: string };
  runs: string[];
  /** The audit chain segment in audit/chain.jsonl: first record's seq to the head. */
  chain: { from: number; to: number; headHash: string };
  pipelines: { runId: string; path: string; commit: string; matchesRecord: boolean }[];
  files: PackageFile[];
}

/** audit/anchors.json: the last git anchor and the last lake trail record of this workspace's chain. */
export interface EvidenceAnchors {
  git: { commit: string; seq: number; hash: string; at: string; ref: string; workspace: string }[];
  lake: { uri: string; seq: number; hash: string; localSeq: number; localHash: string }[];
}
