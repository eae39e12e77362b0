// Preloaded (`node --require`) into the browser shell that `npm start` runs, so that the
// server also stops when scripts/start.mjs itself is killed with SIGKILL and cannot pass a
// signal on: once this process has a new parent (an orphan is handed to init or a
// subreaper), it stops as if sent SIGTERM, through the server's own shutdown.
'use strict';
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
}, 500);
watch.unref();
