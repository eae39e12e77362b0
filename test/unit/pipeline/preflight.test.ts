import { describe, expect, it } from 'vitest';
import { PipelineInvalidError, WeirError } from '../../../shared/errors';
import { coerceParam } from '../../../shared/pipeline/params';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import {
  assertPreflight,
  connections,
  environmentName,
  paramDefaults,
  paramValues,
  preflight,
  preflightChecks,
  preflightError,
  relationshipTargets,
  type PreflightCheck,
} from '../../../src-main/engine/run/preflight';
import { resolveParams } from '../../../src-main/engine/run/params';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { testContext } from '../../support/engine';

const seed = (id: string, name: string) => ({ id, name, kind: 'seed', inputs: [] as string[], config: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1]] } });
const pipeline = (nodes: unknown[], params: Record<string, unknown> = {}): Pipeline =>
  parsePipeline(JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params, nodes, layout: {} })).pipeline;

const workspace = (environments: Record<string, { connections: Record<string, unknown> }> = {}, filePath: string | null = '/ws/weir.workspace.json'): Workspace =>
  ({ root: '/ws', filePath, file: { format: 'weir.workspace', version: 1, default_environment: 'dev', environments } }) as unknown as Workspace;

const lake = { kind: 'folder', path: 'lake' };
const lakeSource = (id: string, name: string, connection: string) => ({ id, name, kind: 'lake_source', inputs: [], config: { connection, prefix: 'raw/', glob: '*.csv', format: 'csv' } });

describe('parameter values: every conversion problem named, none an internal error', () => {
  it('refuses a date that does not exist and integers a number cannot hold exactly', () => {
    expect(coerceParam('date', '2024-02-30')).toEqual({ ok: false, problem: 'expected a date as YYYY-MM-DD' });
    expect(coerceParam('date', '2023-02-29')).toEqual({ ok: false, problem: 'expected a date as YYYY-MM-DD' });
    expect(coerceParam('date', '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(coerceParam('date', '2024-13-01')).toEqual({ ok: false, problem: 'expected a date as YYYY-MM-DD' });
    expect(coerceParam('date', '0000-01-01')).toEqual({ ok: false, problem: 'expected a date as YYYY-MM-DD' });
    expect(coerceParam('integer', '99999999999999999999')).toEqual({ ok: false, problem: 'expected an integer from -9007199254740991 to 9007199254740991' });
    expect(coerceParam('integer', '9007199254740993')).toMatchObject({ ok: false });
    expect(coerceParam('integer', '-9007199254740991')).toEqual({ ok: true, value: -9007199254740991 });
    expect(coerceParam('number', '1e400')).toEqual({ ok: false, problem: 'expected a number' });
  });

  it('resolveParams throws them as usage errors naming the parameter (exit code 2)', () => {
    const specs = { d: { type: 'date' as const, default: '2024-01-01' }, n: { type: 'integer' as const, default: 1 } };
    for (const [given, message] of [
      [{ d: '2024-02-30' }, 'parameter d: expected a date as YYYY-MM-DD, got "2024-02-30"'],
      [{ n: '99999999999999999999' }, 'parameter n: expected an integer from -9007199254740991 to 9007199254740991, got "99999999999999999999"'],
      [{ constructor: '1' }, 'unknown parameter "constructor" (parameters: d, n)'],
    ] as const) {
      const e = (() => {
        try {
          resolveParams(specs, given);
        } catch (x) {
          return x as WeirError;
        }
        return null;
      })();
      expect(e).toBeInstanceOf(WeirError);
      expect(e!.kind).toBe('usage');
      expect(e!.message).toBe(message);
    }
  });
});

describe('preflight: what a run checks before touching data, as a list of problems', () => {
  it('a parameter default that does not fit its type is the file\'s problem, with its path', async () => {
    const p = pipeline([seed('s', 'src')], { n: { type: 'integer', default: 'abc' }, ok: { type: 'number', default: 1.5 } });
    expect(await preflight(testContext(), { pipeline: p }, workspace(), {}, [paramDefaults])).toEqual([
      { kind: 'invalid', path: 'params.n.default', message: 'parameter n: the default "abc" does not fit its type integer (expected an integer)' },
    ]);
  });

  it('command-line values: unknown names, values that do not fit, missing values', async () => {
    const p = pipeline([seed('s', 'src')], { d: { type: 'date' }, n: { type: 'integer', default: 1 } });
    const problems = await preflight(testContext(), { pipeline: p }, workspace(), { params: { n: '99999999999999999999', zz: '1' } }, [paramValues]);
    expect(problems.map((x) => [x.kind, x.message])).toEqual([
      ['usage', 'unknown parameter "zz" (parameters: d, n)'],
      ['usage', 'parameter d has no default: pass --param d=VALUE'],
      ['usage', 'parameter n: expected an integer from -9007199254740991 to 9007199254740991, got "99999999999999999999"'],
    ]);
  });

  it('a relationship rule whose target is not one of the check\'s inputs', async () => {
    const check = { id: 'c', name: 'checked', kind: 'check', inputs: ['a'], config: { rules: [{ type: 'row_count', min: 1 }, { type: 'relationship', column: 'a', to: 'other', field: 'a' }] } };
    const good = { ...check, id: 'g', name: 'good', inputs: ['a', 'b'], config: { rules: [{ type: 'relationship', column: 'a', to: 'OTHER', field: 'a' }] } };
    const problems = await preflight(testContext(), { pipeline: pipeline([seed('a', 'src'), seed('b', 'other'), check, good]) }, workspace(), {}, [relationshipTargets]);
    expect(problems).toEqual([
      {
        kind: 'invalid',
        path: 'nodes[2].config.rules[1].to',
        nodeId: 'c',
        nodeName: 'checked',
        message: 'check node "checked", rule "relationship_a_to_other": "other" must also be an input of the check node (add it to its inputs)',
      },
    ]);
  });

  it('an --env the workspace does not define, with or without a workspace file', async () => {
    const p = pipeline([seed('s', 'src')]);
    expect(await preflight(testContext(), { pipeline: p }, workspace({ dev: { connections: {} }, test: { connections: {} } }), { environment: 'prod' }, [environmentName])).toEqual([
      { kind: 'usage', path: '', message: 'no environment "prod" in /ws/weir.workspace.json (environments: dev, test)' },
    ]);
    expect((await preflight(testContext(), { pipeline: p }, workspace({}, null), { environment: 'prod' }, [environmentName]))[0]!.message).toBe(
      'no environment "prod": there is no weir.workspace.json in /ws or above it',
    );
    // Not asked for and not used: the default environment need not exist.
    expect(await preflight(testContext(), { pipeline: p }, workspace({}, null), {}, [environmentName, connections])).toEqual([]);
    expect(await preflight(testContext(), { pipeline: p }, workspace({ dev: { connections: {} } }), { environment: 'constructor' }, [environmentName])).toHaveLength(1);
  });

  it('connections the nodes name must exist in the environment and be of a kind they can use', async () => {
    const p = pipeline([lakeSource('a', 'one', 'lake'), lakeSource('b', 'two', 'missing'), lakeSource('c', 'three', 'mart')]);
    const ws = workspace({ dev: { connections: { lake, mart: { kind: 'postgres' } } } });
    expect((await preflight(testContext(), { pipeline: p }, ws, {}, [connections])).map((x) => [x.path, x.message])).toEqual([
      ['nodes[1].config.connection', 'node "two" uses connection "missing", which environment "dev" does not define (connections: lake, mart)'],
      ['nodes[2].config.connection', 'node "three" uses connection "mart", a postgres connection in environment "dev"; a lake_source node needs folder or s3'],
    ]);
    // With no environment at all, each node that needs one says so.
    expect((await preflight(testContext(), { pipeline: pipeline([lakeSource('a', 'one', 'lake')]) }, workspace({}, null), {}, [connections]))[0]!.message).toBe(
      'node "one" uses connection "lake", but no environment "dev": there is no weir.workspace.json in /ws or above it',
    );
  });

  it('is one line as an error: usage when the command line is at fault, else the file with its path', async () => {
    expect(preflightError([], 'f')).toBeNull();
    const usage = preflightError(
      [
        { kind: 'usage', path: '', message: 'no environment "prod"' },
        { kind: 'invalid', path: 'params.n.default', message: 'x' },
      ],
      'f',
    )!;
    expect(usage.kind).toBe('usage');
    expect(usage.message).toBe('no environment "prod" (and 1 more problem)');
    const invalid = preflightError([{ kind: 'invalid', path: 'params.n.default', message: 'bad default' }], 'f.weir.json')!;
    expect(invalid).toBeInstanceOf(PipelineInvalidError);
    expect(invalid.message).toBe('f.weir.json at params.n.default: bad default');
    await expect(assertPreflight(testContext(), { pipeline: pipeline([seed('s', 'src')], { n: { type: 'integer' } }) }, workspace(), {}, 'f')).rejects.toThrow(
      'parameter n has no default: pass --param n=VALUE',
    );
  });

  it('takes more checks as plain functions (the engine adds its SQL and path checks the same way)', async () => {
    const extra: PreflightCheck = async (ctx) => [{ kind: 'invalid', path: 'nodes[0]', message: `saw ${ctx.pipeline.nodes.length} node(s) in ${ctx.environment}` }];
    expect(await preflight(testContext(), { pipeline: pipeline([seed('s', 'src')]) }, workspace(), {}, [...preflightChecks, extra])).toEqual([
      { kind: 'invalid', path: 'nodes[0]', message: 'saw 1 node(s) in dev' },
    ]);
  });

  it('stays linear: 100,000 nodes that each name a missing connection', async () => {
    const nodes = Array.from({ length: 100_000 }, (_, i) => lakeSource(`n${i}`, `n${i}`, 'nope'));
    const p = { format: 'weir.pipeline', version: 1, name: 'big', params: {}, nodes, layout: {} } as unknown as Pipeline;
    const cpu = process.cpuUsage();
    const problems = await preflight(testContext(), { pipeline: p }, workspace({ dev: { connections: { lake } } }), {}, [connections]);
    expect(problems).toHaveLength(100_000);
    expect(preflightError(problems, 'f')!.message).toMatch(/^f at nodes\[0\]\.config\.connection: .* \(and 99999 more problems\)$/);
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(10_000);
  });
});
