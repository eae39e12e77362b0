import type { Pipeline } from '../../shared/pipeline/schema';
import { api } from '../api/client';
import { useDoc } from '../document/doc-store';
import { engineOnly, type EngineProblem } from '../document/engine-problems';
import { runOptions } from './run-options';
import { useRunConfig } from './run-config-store';
import { useWorkspace } from '../workspace/workspace-store';

/**
 * The engine's problems with the document in the editor: pipeline.validate with the open
 * workspace, the pipeline's path and the run's environment and parameter values, asked a
 * moment after the last edit (it parses each node's SQL with DuckDB: a few ms per node).
 * Only the answer to the latest question is kept; Preview and Run ask for the answer about
 * the document as it is now, waiting for it when the last one is about an older document.
 */

/** After an edit: long enough that typing asks once per pause. */
export const EDIT_DELAY_MS = 400;
/** After opening a file or changing the environment or a parameter value. */
const SWITCH_DELAY_MS = 50;

interface Question {
  root: string;
  path: string;
  doc: Pipeline;
  /** The environment and parameter values, as sent. */
  options: string;
}

/** What the answer depends on: the nodes and parameters, not the layout or the description. */
const sameQuestion = (a: Question, b: Question) =>
  a.root === b.root && a.path === b.path && a.doc.nodes === b.doc.nodes && a.doc.params === b.doc.params && a.options === b.options;

type RunInput = Omit<ReturnType<typeof runOptions>, 'problems'>;

function currentQuestion(): (Question & { input: RunInput }) | null {
  const { root, path, doc } = useDoc.getState();
  if (!root || !path || !doc) return null;
  const { problems: _problems, ...input } = runOptions();
  void _problems; // parameter values that do not parse are the Parameters panel's to show
  return { root, path, doc, options: JSON.stringify(input), input };
}

let asked = 0;
let answered: { question: Question; problems: EngineProblem[] } | null = null;
let pending: { question: Question; answer: Promise<EngineProblem[] | null> } | null = null;

/**
 * The engine's problems with the document as it is now: the last answer when it is about
 * this document, else the one on its way, else a new question. Null when the engine could
 * not answer (then nothing is refused here, and the engine's own error shows where it fails).
 */
export function engineProblemsNow(): Promise<EngineProblem[] | null> {
  const q = currentQuestion();
  if (!q) return Promise.resolve(null);
  if (answered && sameQuestion(answered.question, q)) return Promise.resolve(answered.problems);
  if (pending && sameQuestion(pending.question, q)) return pending.answer;
  const mine = ++asked;
  const answer = api.call('pipeline.validate', { pipeline: q.doc, root: q.root, path: q.path, ...q.input }).then(
    ({ issues }) => {
      const problems = engineOnly(q.doc, issues);
      // A later question supersedes this one: its answer is the one to show.
      if (mine === asked) {
        answered = { question: q, problems };
        pending = null;
        const s = useDoc.getState();
        if (s.root === q.root && s.path === q.path) s.setEngineProblems(problems);
      }
      return problems;
    },
    () => {
      if (mine === asked) pending = null;
      return null;
    },
  );
  pending = { question: q, answer };
  return answer;
}

/** Forgets every answer (tests; another workspace). */
export function resetEngineProblems(): void {
  asked++;
  answered = null;
  pending = null;
}

/**
 * Asks again a moment after each change of what the answer depends on: the document's nodes
 * and parameters, another file, the environment or parameter values. Returns the unsubscribe.
 */
export function startEngineProblems(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void engineProblemsNow(), ms);
  };
  const offDoc = useDoc.subscribe((s, prev) => {
    if (!s.doc || !s.path) return clearTimeout(timer);
    if (s.path !== prev.path || s.root !== prev.root || !prev.doc) return later(SWITCH_DELAY_MS);
    if (s.doc.nodes !== prev.doc.nodes || s.doc.params !== prev.doc.params) later(EDIT_DELAY_MS);
  });
  const offConfig = useRunConfig.subscribe((c, prev) => {
    if (c.params !== prev.params || c.environment !== prev.environment) later(SWITCH_DELAY_MS);
  });
  const offWorkspace = useWorkspace.subscribe((w, prev) => {
    if (w.workspace !== prev.workspace) later(SWITCH_DELAY_MS);
  });
  if (useDoc.getState().doc) later(SWITCH_DELAY_MS);
  return () => {
    clearTimeout(timer);
    offDoc();
    offConfig();
    offWorkspace();
  };
}
