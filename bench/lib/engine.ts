import { contextFromEnvironment, createEngine, type Engine } from '../../src-main/engine';

let engine: Engine | null = null;

/** The engine as `weir run` makes it: its context from this process's environment, once. */
export function benchEngine(): Engine {
  engine ??= createEngine(contextFromEnvironment(process.env));
  return engine;
}
