import { join } from 'node:path';
import { readStatement } from '../../../../shared/nodes/file-source';
import { lakeSourceKind } from '../../../../shared/nodes/lake-source';
import { closeObjectStore } from '../../storage/open-store';
import { defineNodeRuntime } from '../define';
import { describeWithoutDownload, hiveTree, localCopies } from './local-copies';
import { matchedObjects, storeFor } from './objects';

/**
 * Reads CSV, Parquet or JSON objects from a lake connection (a bucket or a folder): lists
 * them, downloads new or changed ones into the workspace cache, and reads the local copies
 * with DuckDB. The run record lists every object with its ETag and whether it was cached.
 * With `only_new`, only the objects the last successful run did not list (new-objects.ts).
 */
export const lakeSourceRuntime = defineNodeRuntime(lakeSourceKind, {
  cacheable: true,
  async fingerprint(ctx) {
    const store = await storeFor(ctx);
    try {
      const { objects, shapeFrom } = await matchedObjects(ctx, store);
      const inputs = await describeWithoutDownload(store, objects, ctx.workspace.root);
      const line = (o: (typeof objects)[number]) => `${store.uri(o.info.key)} ${o.path} ${o.info.etag} ${o.info.versionId ?? ''} ${o.info.size}`;
      // Nothing new: an empty table shaped like that object.
      const fingerprint = shapeFrom ? `empty, shaped like ${line(shapeFrom)}` : objects.map(line).join('\n');
      return { fingerprint, inputs };
    } finally {
      closeObjectStore(store);
    }
  },
  async run(ctx) {
    const store = await storeFor(ctx);
    try {
      const { objects, shapeFrom } = await matchedObjects(ctx, store);
      const copies = await localCopies(store, shapeFrom ? [shapeFrom] : objects, ctx.workspace.root, ctx.signal);
      const files = ctx.config.hive_partitioning
        ? await hiveTree(copies, join(ctx.scratchDir, 'lake-source', ctx.node.id))
        : copies.map((c) => c.path);
      const read = readStatement(ctx.node.name, files.map((f) => f.replace(/\\/g, '/')), ctx.config);
      await ctx.conn.run(shapeFrom ? `${read} LIMIT 0` : read);
      // The object read for its columns only is not an input of this run.
      return { rows: null, inputs: shapeFrom ? [] : copies.map((c) => c.input) };
    } finally {
      closeObjectStore(store);
    }
  },
});
