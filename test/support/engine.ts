// The engine as the CLI makes it (src-main/cli/support/engine.ts: a context from the process
// environment), for tests that call the engine's inner functions directly. The context is
// made again at every call, because tests set environment variables (WEIR_CACHE_MAX_SIZE,
// credentials) between calls; the locked DuckDB instances are shared, as in one CLI process.
import { contextFromEnvironment, createEngine, lockedDuckdb, settingsFromEnvironment, type Engine, type EngineContext } from '../../src-main/engine';
import { collectGarbage as collectGarbageIn, type GcOptions } from '../../src-main/engine/gc/collect';
import { cleanLitter as cleanLitterIn, type CleanLitterOptions } from '../../src-main/engine/gc/clean-litter';
import { testConnection as testConnectionIn, type TestConnectionRequest } from '../../src-main/engine/connections/test-connection';
import { previewNode as previewNodeIn, type NodeRequest, type PreviewRequest } from '../../src-main/engine/run/preview';
import { profileNode as profileNodeIn } from '../../src-main/engine/run/profile';
import { runPipelineFile as runPipelineFileIn, type RunRequest } from '../../src-main/engine/run/run-pipeline';
import type { Workspace } from '../../src-main/engine/workspace/workspace';

const duckdbBySpillDir = new Map<string, EngineContext['duckdb']>();

/** A context from this process's environment as it is now; `overrides` replace any part (a clock, a factory). */
export function testContext(overrides: Partial<EngineContext> = {}): EngineContext {
  const settings = overrides.settings ?? settingsFromEnvironment((n) => process.env[n]);
  let duckdb = duckdbBySpillDir.get(settings.duckdbTempDir);
  if (!duckdb) duckdbBySpillDir.set(settings.duckdbTempDir, (duckdb = lockedDuckdb(settings.duckdbTempDir)));
  return contextFromEnvironment(process.env, { duckdb, ...overrides, settings });
}

export function testEngine(overrides: Partial<EngineContext> = {}): Engine {
  return createEngine(testContext(overrides));
}

// The engine's functions of the same names, with testContext().
export const runPipelineFile = (req: RunRequest) => runPipelineFileIn(testContext(), req);
export const previewNode = (req: PreviewRequest) => previewNodeIn(testContext(), req);
export const profileNode = (req: NodeRequest) => profileNodeIn(testContext(), req);
export const testConnection = (req: TestConnectionRequest) => testConnectionIn(testContext(), req);
export const collectGarbage = (ws: Workspace, o?: GcOptions) => collectGarbageIn(testContext(), ws, o);
export const cleanLitter = (ws: Workspace, runId: string, o?: CleanLitterOptions) => cleanLitterIn(testContext(), ws, runId, o);
