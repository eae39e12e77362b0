import { stat } from 'node:fs/promises';
import { folderConnectionKind } from '../../../../shared/connections/folder';
import { WeirError } from '../../../../shared/errors';
import { folderRoot } from '../../storage/folder-store';
import { openFolderStore } from '../../storage/open-store';
import { defineConnectionRuntime } from '../define';

/** A local folder: the test checks that it exists and is a folder; the client is the folder store. */
export const folderConnectionRuntime = defineConnectionRuntime(folderConnectionKind, {
  provides: 'object-store',
  client: async (name, spec, o) => openFolderStore(name, spec, o),
  async test({ name, spec, workspaceRoot }) {
    const path = folderRoot(workspaceRoot, spec.path);
    const st = await stat(path).catch(() => null);
    if (!st) throw new WeirError('connection', `connection "${name}": folder ${path} does not exist`);
    if (!st.isDirectory()) throw new WeirError('connection', `connection "${name}": ${path} is a file, expected a folder`);
    return `folder ${path} exists`;
  },
});
