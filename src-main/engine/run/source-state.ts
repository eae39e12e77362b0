import { createHash } from 'node:crypto';
import { basename, join, relative, resolve } from 'node:path';
import { WeirError } from '../../../shared/errors';
import type { SourceStateAccess } from '../nodes/types';
import { writeFileAtomic } from '../storage/atomic-write';
import type { Workspace } from '../workspace/workspace';
import { readRegularText } from '../host/regular-file';
import { privatePath } from '../host/private-folder';

/**
 * What incremental sources keep between runs (an http source's watermark, a lake source's
 * objects already read): one JSON file per environment, pipeline file and node, under
 * `.weir/state/`. A run reads the value the last fully successful run kept and proposes the
 * next one; the proposals are written only when the whole run succeeded (`commit`), so a
 * failed, cancelled or killed run leaves the previous values as they were.
 */
export class SourceStates {
  private readonly proposed = new Map<string, unknown>();

  constructor(
    private readonly dir: string,
    /** Previews read the kept values but never propose. */
    private readonly readOnly = false,
  ) {}

  /** The folder of one pipeline file's states in one environment. */
  static dirFor(ws: Workspace, environment: string, pipelineFile: string): string {
    const rel = relative(ws.root, resolve(pipelineFile)).replace(/\\/g, '/');
    // Named for the file (readable) and by its path's hash (two files of one name in two folders stay apart).
    const tag = createHash('sha256').update(rel).digest('hex').slice(0, 12);
    const name = basename(pipelineFile).replace(/\.weir\.json$/, '').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
    return privatePath(ws.root, 'state', encodeURIComponent(environment), `${name}-${tag}`);
  }

  /** A node's access; node ids are letters, digits, `_` and `-` (the pipeline schema), safe as file names. */
  access(nodeId: string, nodeName: string): SourceStateAccess {
    const file = join(this.dir, `${nodeId}.json`);
    return {
      read: async () => {
        let text: string;
        try {
          text = await readRegularText(file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
          throw new WeirError('node', `node "${nodeName}": cannot read its kept state ${file}: ${(e as Error).message}`);
        }
        try {
          return (JSON.parse(text) as { value?: unknown }).value ?? null;
        } catch {
          throw new WeirError('node', `node "${nodeName}": its kept state ${file} is not JSON (delete it to start again from the node's initial value)`);
        }
      },
      propose: (value) => {
        if (!this.readOnly) this.proposed.set(nodeId, value);
      },
    };
  }

  /** Whether any node proposed a value (a run of a pipeline without incremental sources writes nothing). */
  get pending(): boolean {
    return this.proposed.size > 0;
  }

  /** Writes every proposed value (each file replaced whole, atomically): called only after a fully successful run. */
  async commit(runId: string, at: Date): Promise<void> {
    for (const [nodeId, value] of this.proposed) {
      await writeFileAtomic(join(this.dir, `${nodeId}.json`), `${JSON.stringify({ run_id: runId, kept_at: at.toISOString(), value }, null, 2)}\n`);
    }
    this.proposed.clear();
  }
}
