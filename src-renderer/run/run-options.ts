import { useDoc } from '../document/doc-store';
import { paramValuesFor, useRunConfig, type ParamValue } from './run-config-store';
import { useWorkspace } from '../workspace/workspace-store';

/** The environment runs and previews use: the one picked, while the workspace still has it. */
export function activeEnvironment(): string {
  const ws = useWorkspace.getState().workspace;
  const picked = useRunConfig.getState().environment;
  if (ws && picked && ws.environments.includes(picked)) return picked;
  return ws?.defaultEnvironment ?? 'dev';
}

/**
 * What `pipeline.run` and `pipeline.preview` get besides the pipeline: the environment (left
 * out when the workspace has none, so a folder without weir.workspace.json still runs) and
 * the parameter values typed in the Parameters panel.
 */
export function runOptions(): { environment?: string; params?: Record<string, ParamValue>; problems: Record<string, string> } {
  const { doc, path } = useDoc.getState();
  const ws = useWorkspace.getState().workspace;
  const texts = path ? useRunConfig.getState().params[path] : undefined;
  const { values, problems } = paramValuesFor(doc?.params ?? {}, texts);
  const environment = ws && ws.environments.length ? activeEnvironment() : undefined;
  return { ...(environment ? { environment } : {}), ...(Object.keys(values).length ? { params: values } : {}), problems };
}

/** Whether the workspace file marks `env` `protected: true` (production: others read what it publishes). */
export function isProtectedEnvironment(env: string | undefined): boolean {
  return !!env && (useWorkspace.getState().workspace?.protectedEnvironments ?? []).includes(env);
}

/** The environment in use, for display: its name and whether it is protected; null without environments. */
export function useActiveEnvironment(): { name: string; protected: boolean } | null {
  // Subscribed to what activeEnvironment() reads, so the caller re-renders when it changes.
  const ws = useWorkspace((s) => s.workspace);
  useRunConfig((s) => s.environment);
  if (!ws?.environments.length) return null;
  const name = activeEnvironment();
  return { name, protected: ws.protectedEnvironments.includes(name) };
}
