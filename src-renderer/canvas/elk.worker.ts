// The ELK worker's entry. elkjs's worker script is CommonJS and also exports its class for
// Node; made a worker entry itself, those exports made every build warn
// MISSING_NAME_OPTION_FOR_IIFE_EXPORT (a worker is an IIFE with nothing to export to). An
// entry of ours that exports nothing runs the same script, which sees no `document` and
// answers the page's messages through `self`.
import 'elkjs/lib/elk-worker.min.js';
