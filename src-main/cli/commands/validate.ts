import { loadPipelineFile } from '../../engine/pipeline/load';
import { parse, onePositional } from '../args';
import { EXIT_OK } from '../exit-codes';

const USAGE = 'weir validate FILE [--json]';

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, debug: { type: 'boolean' } }, USAGE);
  const file = onePositional(positionals, USAGE);
  const loaded = await loadPipelineFile(file);
  const { pipeline, migratedFrom } = loaded;
  if (values.json) {
    process.stdout.write(JSON.stringify({ valid: true, file, name: pipeline.name, nodes: pipeline.nodes.length, migratedFrom }) + '\n');
  } else {
    const note = migratedFrom !== null ? ` (format version ${migratedFrom}, migrated on load; save to upgrade the file)` : '';
    process.stdout.write(`${file}: valid pipeline "${pipeline.name}", ${pipeline.nodes.length} nodes${note}\n`);
  }
  return EXIT_OK;
}
