import { api } from '../api/client';
import { createDocumentSync } from './doc-sync';

/** The app's previews, profiles and column lookups: edits of the document the session holds (doc-sync.ts). */
export const documentCalls = createDocumentSync(api);
