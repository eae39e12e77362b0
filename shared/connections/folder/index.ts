import { z } from 'zod';
import { defineConnectionKind } from '../define';
import { text } from '../values';

export const folderConnection = z.strictObject({
  kind: z.literal('folder'),
  /** Relative to the workspace folder, or absolute. */
  path: z.string().min(1),
});

export const folderConnectionKind = defineConnectionKind({
  kind: 'folder',
  label: 'Local folder',
  schema: folderConnection,
  form: [{ key: 'path', label: 'Folder', placeholder: 'data', help: 'relative to the workspace folder, or absolute' }],
  describe: (spec) => text(spec.path),
});
