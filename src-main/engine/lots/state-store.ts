import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { Pipeline } from '../../../shared/pipeline/schema';
import type { EngineContext } from '../context';
import { writeFileAtomic } from '../storage/atomic-write';
import { closeObjectStore } from '../storage/open-store';
import { PreconditionFailed, type ObjectStore } from '../storage/object-store';
import { normalizePrefix } from '../storage/glob';
import { connectionSpecFor, resolveConnection, type SecretLookup, type Workspace } from '../workspace/workspace';
import { readRegularText } from '../host/regular-file';
import { privatePath } from '../host/private-folder';

const attempt = z.strictObject({ fingerprint: z.string(), runId: z.string(), at: z.string() });
/**
 * What is kept per lot. `succeeded` is written only once a lot's run fully succeeded (every
 * blocking check passed and every sink published): it alone decides whether a lot is up to
 * date. `failed` notes the last failed run (shown by `weir partitions`; it never makes a lot up
 * to date). A killed run writes neither.
 */
export const lotState = z.strictObject({
  format: z.literal('weir.lot'),
  version: z.literal(1),
  key: z.string(),
  succeeded: attempt.optional(),
  failed: attempt.optional(),
});
export type LotState = z.infer<typeof lotState>;
export type LotAttempt = z.infer<typeof attempt>;

export interface LotStateStore {
  /** Where states live, for messages and docs: a folder or an object prefix. */
  readonly where: string;
  readAll(): Promise<Map<string, LotState>>;
  /** Records one attempt; a success replaces `succeeded` (and clears an older failure). */
  record(key: string, outcome: 'succeeded' | 'failed', a: LotAttempt): Promise<void>;
  close(): void;
}

function parseState(text: string): LotState | null {
  try {
    const r = lotState.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** The state after one more attempt: the newer success wins; a failure older than the success is dropped. */
export function withAttempt(prev: LotState | null, key: string, outcome: 'succeeded' | 'failed', a: LotAttempt): LotState {
  const next: LotState = prev ? { ...prev } : { format: 'weir.lot', version: 1, key };
  if (outcome === 'succeeded') {
    if (!next.succeeded || next.succeeded.at <= a.at) next.succeeded = a;
    if (next.failed && next.failed.at <= a.at) delete next.failed;
  } else if (!next.failed || next.failed.at <= a.at) next.failed = a;
  return next;
}

const fileName = (key: string) => `${key}.json`;

/** `.weir/lots/<pipeline>/<lot>.json`: one machine's states (a local pipeline's). */
class LocalStore implements LotStateStore {
  constructor(readonly dir: string) {}
  get where(): string {
    return this.dir;
  }
  async readAll(): Promise<Map<string, LotState>> {
    const out = new Map<string, LotState>();
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return out;
    }
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      const s = parseState(await readRegularText(join(this.dir, n)).catch(() => ''));
      if (s) out.set(s.key, s);
    }
    return out;
  }
  async record(key: string, outcome: 'succeeded' | 'failed', a: LotAttempt): Promise<void> {
    const path = join(this.dir, fileName(key));
    const prev = parseState(await readRegularText(path).catch(() => ''));
    // A rename: a killed writer leaves the old state or the new one, never half a file.
    await writeFileAtomic(path, JSON.stringify(withAttempt(prev, key, outcome, a), null, 2) + '\n');
  }
  close(): void {}
}

/**
 * `<lake sink path>/_lots/<lot>.json` in the lake the pipeline publishes to, shared by every
 * machine that runs it. Each write is conditional on the ETag it read (If-Match, or
 * If-None-Match for a new lot): two workers finishing the same lot at once cannot lose each
 * other's update; the loser reads again and merges.
 */
class LakeStore implements LotStateStore {
  constructor(
    private readonly store: ObjectStore,
    private readonly prefix: string,
  ) {}
  get where(): string {
    return this.store.uri(this.prefix);
  }
  async readAll(): Promise<Map<string, LotState>> {
    const out = new Map<string, LotState>();
    for (const info of await this.store.list(this.prefix)) {
      if (!info.key.endsWith('.json')) continue;
      const got = await this.store.getBytes(info.key);
      const s = got ? parseState(got.body.toString('utf8')) : null;
      if (s) out.set(s.key, s);
    }
    return out;
  }
  async record(key: string, outcome: 'succeeded' | 'failed', a: LotAttempt): Promise<void> {
    const objectKey = `${this.prefix}${fileName(key)}`;
    for (let tries = 0; ; tries++) {
      const got = await this.store.getBytes(objectKey);
      const prev = got ? parseState(got.body.toString('utf8')) : null;
      const body = Buffer.from(JSON.stringify(withAttempt(prev, key, outcome, a), null, 2) + '\n');
      try {
        await this.store.putBytes(objectKey, body, { ifMatch: got ? got.info.etag : null });
        return;
      } catch (e) {
        if (!(e instanceof PreconditionFailed) || tries >= 5) throw e;
      }
    }
  }
  close(): void {
    closeObjectStore(this.store);
  }
}

/** The folder of a local pipeline's lot states: named for the pipeline and its file, so two pipelines never share one. */
export function localLotsDir(ws: Workspace, pipelineFile: string, name: string): string {
  const rel = relative(ws.root, pipelineFile).replace(/\\/g, '/');
  return privatePath(ws.root, 'lots', `${name}-${createHash('sha256').update(rel).digest('hex').slice(0, 10)}`);
}

/**
 * Where a pipeline's lot states live (docs/lots.md, "Where lot states live"): in the PostgreSQL
 * table the workspace's `lot_states` names; else in the lake beside its first lake sink's output
 * when it has one (shared by every machine publishing there); otherwise in the workspace's
 * `.weir/lots/`.
 */
export async function openLotStateStore(o: {
  engine: EngineContext;
  pipeline: Pipeline;
  pipelineFile: string;
  workspace: Workspace;
  environment: string;
  secrets: SecretLookup;
}): Promise<LotStateStore> {
  if (o.workspace.file.lot_states) {
    const pipeline = relative(o.workspace.root, o.pipelineFile).replace(/\\/g, '/');
    return (await import('./postgres-state-store')).openPostgresLotStates({ ...o, pipeline });
  }
  const sink = o.pipeline.nodes.find((n) => n.kind === 'lake_sink' && typeof n.config.connection === 'string' && typeof n.config.path === 'string');
  if (sink) {
    const connection = String(sink.config.connection);
    const spec = resolveConnection(connection, connectionSpecFor(o.workspace, o.environment, connection), o.secrets);
    const store = await o.engine.clients.objectStore(connection, spec, { workspaceRoot: o.workspace.root });
    return new LakeStore(store, `${normalizePrefix(String(sink.config.path))}_lots/`);
  }
  return new LocalStore(localLotsDir(o.workspace, o.pipelineFile, o.pipeline.name));
}
