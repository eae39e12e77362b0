import { create } from 'zustand';
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

export type ParamValue = string | number | boolean;

/** Why a typed value does not fit its parameter's type, or null. */
export function paramProblem(type: ParamSpec['type'], text: string): string | null {
  const t = text.trim();
  switch (type) {
    case 'string':
      return null;
    case 'integer':
      return t !== '' && Number.isInteger(Number(t)) ? null : 'expected an integer';
    case 'number':
      return t !== '' && Number.isFinite(Number(t)) ? null : 'expected a number';
    case 'boolean':
      return /^(true|false|1|0)$/i.test(t) ? null : 'expected true or false';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(t) && !Number.isNaN(Date.parse(t)) ? null : 'expected a date as YYYY-MM-DD';
  }
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
    const problem = paramProblem(spec.type, text);
    if (problem) {
      problems[name] = problem;
      continue;
    }
    const t = text.trim();
    values[name] = spec.type === 'integer' || spec.type === 'number' ? Number(t) : spec.type === 'boolean' ? /^(true|1)$/i.test(t) : spec.type === 'date' ? t : text;
  }
  return { values, problems };
}
