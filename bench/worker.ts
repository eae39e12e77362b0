// One bench task in a fresh process (see bench/lib/child.ts): prints its result as one JSON line.
import { engineRun, rawRun } from './tasks/pipeline-tasks';
import { enginePreview, rawPreview } from './tasks/preview-tasks';
import { postgresPublish } from './tasks/postgres-tasks';
import { engineReview, valueDiff } from './tasks/review-tasks';
import { rawS3Download, rawS3Stage, weirS3Download } from './tasks/s3-tasks';

// Each task takes its arguments as one JSON object; the caller knows each task's shape.
type Task = (args: never) => Promise<unknown>;

const tasks: Record<string, Task> = {
  'engine-run': engineRun,
  'raw-run': rawRun,
  'engine-preview': enginePreview,
  'raw-preview': rawPreview,
  's3-weir-download': weirS3Download,
  's3-raw-download': rawS3Download,
  's3-raw-stage': rawS3Stage,
  'postgres-publish': postgresPublish,
  'review-value-diff': valueDiff,
  'engine-review': engineReview,
};

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const task = name ? tasks[name] : undefined;
  if (!task) throw new Error(`unknown bench task "${name ?? ''}" (tasks: ${Object.keys(tasks).join(', ')})`);
  const result = await task(JSON.parse(json ?? '{}') as never);
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
