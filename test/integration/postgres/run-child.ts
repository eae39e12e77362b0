/**
 * A runner in a process of its own, for tests that kill it: runs the pipeline file given as its
 * argument from source, the `${env:...}` references resolved from its environment, no record.
 */
import { runPipelineFile } from '../../support/engine';

const out = await runPipelineFile({ file: process.argv[2]!, recordDir: null, secrets: (n) => process.env[n] });
process.stdout.write(`${JSON.stringify({ status: out.status, error: out.error?.message ?? null })}\n`);
