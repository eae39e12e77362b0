import { contextFromEnvironment, createEngine, type Engine } from '../../engine';

let engine: Engine | null = null;

/**
 * The CLI's engine: its context made once per process from the process environment (the
 * variables README "Configuration" lists; `${env:NAME}` of connections and the credential
 * variables are looked up there too).
 */
export function cliEngine(): Engine {
  engine ??= createEngine(contextFromEnvironment(process.env));
  return engine;
}
