import { sendEarlyRequests } from './shell/early-requests';

// The page's first module is small: the session, app.start and the first pipeline's read go
// out now, and travel while the app (a megabyte of code) is fetched, parsed and evaluated.
sendEarlyRequests();
void import('./app-main');
