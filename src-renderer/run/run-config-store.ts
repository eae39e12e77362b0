import { create } from 'zustand';
import { coerceParam, type ParamValue } from '../../shared/pipeline/params';
import type { ParamSpec } from '../../shared/pipeline/schema';

/**
 * What a run and a preview use besides the pipeline: the environment (its connections) and
 * parameter values for this session. Neither is written to the pipeline file: a value
 * typed here is for runs from this app; "set as default" is a document edit instead.
 * Remembered per workspace in localStorage, so a reload keeps them.
 */
interface RunConfigState {
  root: string | null;
  /** null: the workspace's default environment. */
  environment: string | null;
  /** Per pipeline path: parameter name → the text typed (empty or absent: the default). */
  params: Record<string, Record<string, string>>;
  /** Why the next run is made (issue #18 item 4): sent with it, kept in its run record, then cleared; never stored. */
  reason: string;
  setReason(reason: string): void;
  load(root: string): void;
  setEnvironment(env: string | null): void;
  setParam(path: string, name: string, text: string | null): void;
  resetParams(path: string): void;
}

const KEY = (root: string) => `weir.runConfig:${root}`;

function persist(s: Pick<RunConfigState, 'root' | 'environment' | 'params'>): void {
  if (!s.root) return;
  try {
    localStorage.setItem(KEY(s.root), JSON.stringify({ environment: s.environment, params: s.params }));
  } catch {
    // not remembered; the session still uses it
  }
}

export const useRunConfig = create<RunConfigState>()((set, get) => ({
  root: null,
  environment: null,
  params: {},
  reason: '',
  setReason(reason) {
    set({ reason });
  },
  load(root) {
    let saved: { environment?: unknown; params?: unknown } = {};
    try {
      saved = JSON.parse(localStorage.getItem(KEY(root)) ?? '{}') as typeof saved;
    } catch {
      saved = {};
    }
    set({
      root,
      environment: typeof saved.environment === 'string' ? saved.environment : null,
      params: saved.params && typeof saved.params === 'object' ? (saved.params as RunConfigState['params']) : {},
    });
  },
  setEnvironment(environment) {
    set({ environment });
    persist(get());
  },
  setParam(path, name, text) {
    const forPath = { ...(get().params[path] ?? {}) };
    if (text === null || text === '') delete forPath[name];
    else forPath[name] = text;
    set({ params: { ...get().params, [path]: forPath } });
    persist(get());
  },
  resetParams(path) {
    const params = { ...get().params };
    delete params[path];
    set({ params });
    persist(get());
  },
}));

export type { ParamValue };

/** Why a typed value does not fit its parameter's type, or null (the engine's rule: shared/pipeline/params.ts). */
export function paramProblem(type: ParamSpec['type'], text: string): string | null {
  const c = coerceParam(type, text);
  return c.ok ? null : c.problem;
}

/**
 * The values to send with a run or preview: only parameters the pipeline still has (a
 * renamed or removed one is dropped, the engine refuses unknown names), typed as their spec
 * says. Problems are returned per name; such values are not sent.
 */
export function paramValuesFor(specs: Record<string, ParamSpec>, texts: Record<string, string> | undefined): { values: Record<string, ParamValue>; problems: Record<string, string> } {
  const values: Record<string, ParamValue> = {};
  const problems: Record<string, string> = {};
  for (const [name, text] of Object.entries(texts ?? {})) {
    const spec = specs[name];
    if (!spec || text === '') continue;
    const c = coerceParam(spec.type, text);
    if (c.ok) values[name] = c.value;
    else problems[name] = c.problem;
  }
  return { values, problems };
}
