import { join, resolve } from 'node:path';
import { dagsterModule, exportTarget, k8sManifests, loadPipelineFile, writeFileAtomic } from '../../engine';
import { parse } from '../support/args';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { safeLine } from '../support/terminal-text';

const USAGE = 'weir export dagster|k8s FILE [--out PATH] [--env NAME] [--image IMAGE] [--shards N] [--schedule CRON]';
const DETAILS = [
  'Writes what an orchestrator needs to run the pipeline lot by lot (docs/lots.md, "Deployment"):',
  '',
  '  dagster   a Dagster definitions module: one asset; for a pipeline with partitions, dynamic',
  '            partitions fed by `weir partitions --json` through a sensor, each lot materialized',
  '            by `weir run FILE --partition KEY`, the run record\'s checks as asset checks',
  '  k8s       an Indexed Job (`weir run FILE --shard $(JOB_COMPLETION_INDEX)/N`) and a CronJob',
  '            for the runner\'s container image (a plain one-pod Job without partitions)',
  '',
  'options:',
  '  -o, --out PATH         dagster: the .py file to write; k8s: the folder to write the two',
  '                         manifests into (default: both print on stdout)',
  '  -e, --env NAME         the environment the runs use (default: the workspace default;',
  '                         the Dagster module also reads WEIR_ENV)',
  '      --image IMAGE      k8s: the runner image (default weir-runner:latest)',
  '      --shards N         k8s: workers of the Indexed Job (default 4)',
  '      --schedule CRON    k8s: the CronJob\'s schedule (default "0 2 * * *")',
  '',
  'exit codes: 0 written, 2 bad usage or an invalid pipeline file',
].join('\n');

/** `weir export`: Dagster definitions or Kubernetes manifests for a pipeline. */
export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      out: { type: 'string', short: 'o' },
      env: { type: 'string', short: 'e' },
      image: { type: 'string' },
      shards: { type: 'string' },
      schedule: { type: 'string' },
      debug: { type: 'boolean' },
    },
    USAGE,
    DETAILS,
  );
  const [target, file, ...extra] = positionals;
  if (!target || !file || extra.length) throw new UsageError(`expected a target (dagster or k8s) and one pipeline file\nusage: ${USAGE}`);
  if (target !== 'dagster' && target !== 'k8s') throw new UsageError(`unknown export target "${target}" (expected dagster or k8s)\nusage: ${USAGE}`);
  const shards = values.shards === undefined ? 4 : Number(values.shards);
  if (!Number.isInteger(shards) || shards < 1 || shards > 10_000) throw new UsageError(`--shards expects a whole number from 1 to 10000, got "${values.shards}"\nusage: ${USAGE}`);
  const environment = values.env as string | undefined;
  const out = values.out as string | undefined;
  const t = exportTarget(await loadPipelineFile(file));

  if (target === 'dagster') {
    const text = dagsterModule(t, environment === undefined ? {} : { environment });
    if (out === undefined) process.stdout.write(text);
    else {
      await writeFileAtomic(resolve(out), text);
      process.stdout.write(safeLine(`wrote ${out}`) + '\n');
    }
    return EXIT_OK;
  }
  const { files } = k8sManifests(t, {
    image: (values.image as string | undefined) ?? 'weir-runner:latest',
    shards,
    schedule: (values.schedule as string | undefined) ?? '0 2 * * *',
    ...(environment === undefined ? {} : { environment }),
  });
  if (out === undefined) {
    process.stdout.write(Object.values(files).join('---\n'));
    return EXIT_OK;
  }
  for (const [name, text] of Object.entries(files)) {
    await writeFileAtomic(join(resolve(out), name), text);
    process.stdout.write(safeLine(`wrote ${join(out, name)}`) + '\n');
  }
  return EXIT_OK;
}
