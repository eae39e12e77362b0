import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Appends records to an NDJSON file as pages arrive, so a large API never sits in
 * memory whole. Scalars become `{"value": ...}` so that every line is an object.
 */
export class NdjsonWriter {
  private stream: ReturnType<typeof createWriteStream> | null = null;
  count = 0;

  constructor(readonly path: string) {}

  async write(records: readonly unknown[]): Promise<void> {
    if (!records.length) return;
    if (!this.stream) {
      await mkdir(dirname(this.path), { recursive: true });
      this.stream = createWriteStream(this.path);
    }
    const text = records.map((r) => JSON.stringify(r !== null && typeof r === 'object' && !Array.isArray(r) ? r : { value: r })).join('\n') + '\n';
    this.count += records.length;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    const s = this.stream;
    this.stream = null;
    await new Promise<void>((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}
