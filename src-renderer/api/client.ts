import { createApiClient, type ApiClient } from '../../shared/api/client';
import { observed } from './call-observer';
import { transport } from './transport';

export { sessionRefusal } from './transport';

/** The one API client: IPC in the desktop app, HTTP + WebSocket in the browser shell. */
export const api: ApiClient = observed(createApiClient(transport));
