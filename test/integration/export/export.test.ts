import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { dagsterModule, exportTarget, k8sManifests, loadPipelineFile } from '../../../src-main/engine';
import { runWeir, WEIR_BIN } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

const STUB = fileURLToPath(new URL('./dagster-stub', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../fixtures/export/dagster-structure.json', import.meta.url));
/** A name that tries to end every kind of literal it may land in, and run something. */
const HOSTILE = 'x"""\'\n__import__("os").system("touch PWNED")  # \\" ${HOME} $(JOB_COMPLETION_INDEX)\n---\nkind: Secret\u2028\u{1F600}';

function python(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): string {
  return execFileSync('python3', args, { encoding: 'utf8', env: { ...process.env, PYTHONPATH: STUB, PYTHONDONTWRITEBYTECODE: '1', ...env }, ...(cwd ? { cwd } : {}) });
}

/** The module's shape by Python's own parser: imports, top-level names with literal values, functions and their decorators. */
function structure(file: string): unknown {
  const script = [
    'import ast, json, sys',
    'tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())',
    'out = {"imports": [], "constants": {}, "functions": {}, "assigned": []}',
    'for n in tree.body:',
    '    if isinstance(n, ast.Import): out["imports"] += [a.name for a in n.names]',
    '    elif isinstance(n, ast.ImportFrom): out["imports"].append("from " + n.module)',
    '    elif isinstance(n, ast.Assign):',
    '        name = n.targets[0].id',
    '        out["assigned"].append(name)',
    '        try: v = ast.literal_eval(n.value)',
    '        except ValueError: continue',
    '        out["constants"][name] = [[list(k) if isinstance(k, tuple) else k, x] for k, x in v.items()] if isinstance(v, dict) else v',
    '    elif isinstance(n, ast.FunctionDef): out["functions"][n.name] = [ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in n.decorator_list]',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(python(['-c', script, file]));
}

/**
 * `weir export dagster|k8s`: the module compiles (python3 -m py_compile), has the shape of the
 * fixture, and run against a stand-in for Dagster (tests/.../dagster-stub: Dagster is not
 * installable here) its asset runs the real CLI and reports the run record's checks; the
 * manifests parse as YAML with the expected kinds and fields; a hostile pipeline name stays
 * one string in both.
 */
describe('weir export', () => {
  let ws: string;
  let file: string;

  const pipeline = (name: string, failing: boolean) => ({
    format: 'weir.pipeline',
    version: 1,
    name,
    nodes: [
      { id: 'seed', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'qty', type: 'INTEGER' }], rows: [['B0001', 3], ['B0002', failing ? -1 : 4]] } },
      {
        id: 'chk',
        name: 'checked',
        kind: 'check',
        inputs: ['seed'],
        config: { rules: [{ type: 'expression', name: 'positive', expression: 'qty > 0', severity: 'error' }, { type: 'not_null', column: 'batch_id', severity: 'warn' }] },
      },
      { id: 'out', name: 'out_lots', kind: 'file_sink', inputs: ['chk'], config: { path: 'out/lots.csv', format: 'csv', order_by: ['batch_id'] } },
    ],
  });

  beforeAll(() => {
    ws = tempDir('weir-export-');
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: {} } } }));
    file = join(ws, 'lots.weir.json');
    writeFileSync(file, JSON.stringify(pipeline('cgt_lots', false)));
  });

  it('writes a Dagster module that compiles and has the fixture\'s shape', async () => {
    const out = join(ws, 'defs.py');
    const res = await runWeir(['export', 'dagster', file, '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    python(['-m', 'py_compile', out]);
    expect(structure(out)).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });

  it('materializes through the real CLI and reports the record\'s checks as asset checks', async () => {
    const out = join(ws, 'defs.py');
    await runWeir(['export', 'dagster', file, '--out', out]);
    const weir = `${process.execPath} ${WEIR_BIN}`;
    const ok = JSON.parse(python([join(STUB, 'drive.py'), out], { WEIR_BIN: weir, WEIR_WORKSPACE: ws }));
    expect(ok.failure).toBeNull();
    expect(ok.declared.asset).toMatchObject({ name: 'cgt_lots', partitions_def: null, check_specs: [{ name: 'checked__positive', asset: 'cgt_lots' }, { name: 'checked__not_null_batch_id', asset: 'cgt_lots' }] });
    expect(ok.declared.sensor).toBeUndefined();
    const materialized = ok.results[0];
    expect(materialized.kind).toBe('MaterializeResult');
    expect(materialized.metadata.weir_status).toBe('succeeded');
    expect(materialized.check_results.map((c: { check_name: string; passed: boolean; severity: string }) => [c.check_name, c.passed, c.severity])).toEqual([
      ['checked__positive', true, 'ERROR'],
      ['checked__not_null_batch_id', true, 'WARN'],
    ]);
    expect(existsSync(join(ws, 'out', 'lots.csv'))).toBe(true);

    // A lot that fails its blocking check: the asset check fails, and so does the materialization.
    writeFileSync(file, JSON.stringify(pipeline('cgt_lots', true)));
    try {
      const bad = JSON.parse(python([join(STUB, 'drive.py'), out], { WEIR_BIN: weir, WEIR_WORKSPACE: ws }));
      expect(bad.failure).toMatch(/^weir run exited with 1: /);
      expect(bad.results.map((c: { check_name: string; passed: boolean; metadata: { failing_rows: number } }) => [c.check_name, c.passed, c.metadata.failing_rows])).toEqual([
        ['checked__positive', false, 1],
        ['checked__not_null_batch_id', true, 0],
      ]);
    } finally {
      writeFileSync(file, JSON.stringify(pipeline('cgt_lots', false)));
    }
  });

  it('feeds dynamic partitions from `weir partitions --json` and materializes one lot with --partition', async () => {
    const loaded = await loadPipelineFile(file);
    const raw = JSON.parse(loaded.text) as Record<string, unknown>;
    const t = exportTarget({ ...loaded, text: JSON.stringify({ ...raw, partitions: { key: 'batch_id' } }) });
    expect(t.partitionKey).toBe('batch_id');
    const out = join(ws, 'lots_defs.py');
    writeFileSync(out, dagsterModule(t, { environment: 'prod' }));
    python(['-m', 'py_compile', out]);
    const log = join(ws, 'fake-weir.log');
    const got = JSON.parse(python([join(STUB, 'drive.py'), out, 'B0002'], { WEIR_BIN: `python3 ${join(STUB, 'fake-weir.py')}`, WEIR_WORKSPACE: ws, FAKE_WEIR_LOG: log }));
    expect(got.declared.asset.partitions_def).toEqual({ kind: 'DynamicPartitionsDefinition', name: 'cgt_lots_lots' });
    expect(got.declared.job).toMatchObject({ name: 'cgt_lots_job', selection: ['cgt_lots'] });
    expect(got.results[0].check_results[0]).toMatchObject({ check_name: 'checked__positive', passed: true });
    // New lots are added; new, changed and failed ones asked for, keyed by their fingerprint.
    expect(got.sensor.dynamic_partitions_requests).toEqual([['add', 'cgt_lots_lots', ['B0002', 'B0003']]]);
    expect(got.sensor.run_requests).toEqual([
      { kind: 'RunRequest', partition_key: 'B0002', run_key: 'B0002:bb' },
      { kind: 'RunRequest', partition_key: 'B0003', run_key: 'B0003:cc' },
    ]);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
    expect(calls).toEqual([
      ['run', 'lots.weir.json', '--json', '--env', 'prod', '--partition', 'B0002'],
      ['partitions', 'lots.weir.json', '--json', '--env', 'prod'],
    ]);
  });

  it('writes an Indexed Job and a CronJob that parse as YAML', async () => {
    const dir = join(ws, 'k8s');
    const res = await runWeir(['export', 'k8s', file, '--out', dir, '--image', 'registry.example/weir-cgt:1.2', '--shards', '3', '--schedule', '15 1 * * *', '--env', 'prod']);
    expect(res.code).toBe(0);
    const job = parseAllDocuments(readFileSync(join(dir, 'weir-cgt-lots-job.yaml'), 'utf8')).map((d) => d.toJS());
    const cron = parseAllDocuments(readFileSync(join(dir, 'weir-cgt-lots-cronjob.yaml'), 'utf8')).map((d) => d.toJS());
    expect(job).toHaveLength(1);
    expect(job[0]).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'weir-cgt-lots' } });
    // Without partitions: one pod running the whole pipeline.
    expect(job[0].spec).toMatchObject({ completions: 1, parallelism: 1 });
    expect(job[0].spec.completionMode).toBeUndefined();
    expect(job[0].spec.template.spec.containers[0]).toMatchObject({ image: 'registry.example/weir-cgt:1.2', args: ['run', 'lots.weir.json', '--env', 'prod'], workingDir: '/workspace' });
    expect(cron[0]).toMatchObject({ kind: 'CronJob', spec: { schedule: '15 1 * * *', concurrencyPolicy: 'Forbid' } });

    // With partitions: an Indexed Job, each pod one shard of the lots.
    const loaded = await loadPipelineFile(file);
    const t = exportTarget({ ...loaded, text: JSON.stringify({ ...(JSON.parse(loaded.text) as object), partitions: { key: 'batch_id' } }) });
    const files = k8sManifests(t, { image: 'weir-runner:latest', shards: 4, schedule: '0 2 * * *' }).files;
    const indexed = parseAllDocuments(files['weir-cgt-lots-job.yaml']!).map((d) => d.toJS())[0];
    expect(indexed.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    expect(indexed.spec.template.spec.containers[0].args).toEqual(['run', 'lots.weir.json', '--shard', '$(JOB_COMPLETION_INDEX)/4']);
    const cronIndexed = parseAllDocuments(files['weir-cgt-lots-cronjob.yaml']!).map((d) => d.toJS())[0];
    expect(cronIndexed.spec.jobTemplate.spec).toEqual(indexed.spec);

    // Bad usage: one line, exit 2, nothing written.
    for (const args of [['export', 'airflow', file], ['export', 'k8s', file, '--shards', '0'], ['export', 'k8s'], ['export', 'dagster', join(ws, 'missing.weir.json')]]) {
      const bad = await runWeir(args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/^weir: /);
    }
  });

  it('keeps hostile texts from the file (a rule name, the file name) one string: no Python, YAML or $(...) gets in', async () => {
    // Pipeline and node names are SQL identifiers (the schema); a rule's name and the file's name are free text.
    const hostileName = `lots "$(AWS_SECRET_ACCESS_KEY)" \n'x.weir.json`;
    const hostileFile = join(ws, hostileName);
    const p = pipeline('cgt_lots', false);
    (p.nodes[1]!.config as { rules: { name?: string }[] }).rules[0]!.name = HOSTILE;
    writeFileSync(hostileFile, JSON.stringify(p));
    const py = join(ws, 'hostile.py');
    const res = await runWeir(['export', 'dagster', hostileFile, '--out', py]);
    expect(res.stderr).toBe('');
    python(['-m', 'py_compile', py]);
    const shape = structure(py) as { imports: string[]; constants: Record<string, unknown>; functions: Record<string, string[]> };
    expect(shape.imports).toEqual(['json', 'os', 'shlex', 'subprocess', 'dagster']);
    expect(shape.constants.PIPELINE_FILE).toBe(hostileName);
    expect((shape.constants.CHECKS as [string[], string][])[0]![0]).toEqual(['checked', HOSTILE]);
    expect(Object.keys(shape.functions).sort()).toEqual(['_check_results', '_env_args', '_run_record', '_weir', 'weir_pipeline']);
    // Loading it (and running its asset with a runner that does nothing) runs nothing the texts hold.
    python([join(STUB, 'drive.py'), py], { WEIR_BIN: 'true', WEIR_WORKSPACE: ws }, ws);
    expect(existsSync(join(ws, 'PWNED'))).toBe(false);

    const k8s = await runWeir(['export', 'k8s', hostileFile]);
    expect(k8s.code).toBe(0);
    const docs = parseAllDocuments(k8s.stdout).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['Job', 'CronJob']);
    expect(docs[0].metadata.annotations['weir.dev/pipeline-file']).toBe(hostileName);
    // Kubernetes expands $(NAME) in args; `$$` keeps the `$`.
    expect(docs[0].spec.template.spec.containers[0].args[1]).toBe(hostileName.replace(/\$/g, '$$$$'));
    expect(docs[0].metadata.name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);

    // Every character survives both quotings, whatever the text.
    const t = { name: HOSTILE, file: HOSTILE, partitionKey: null, checks: [{ node: 'n', rule: HOSTILE, severity: 'warn' as const }] };
    const text = dagsterModule(t);
    writeFileSync(py, text);
    expect((structure(py) as { constants: Record<string, unknown> }).constants.PIPELINE_NAME).toBe(HOSTILE);
    const manifests = Object.values(k8sManifests(t, { image: HOSTILE, shards: 1, schedule: '* * * * *' }).files);
    const job = parseAllDocuments(manifests[0]!).map((d) => d.toJS());
    expect(job).toHaveLength(1);
    expect(job[0].metadata.annotations['weir.dev/pipeline']).toBe(HOSTILE);
    expect(job[0].spec.template.spec.containers[0].image).toBe(HOSTILE);
  });
});
