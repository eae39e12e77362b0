import { useMemo, type JSX, type Ref } from 'react';
import { useDoc } from '../document/doc-store';
import { scopeLabel, scopeTitle, scopedRun, type RunScope } from './run-scope';
import { isRunning, useRun } from './run-store';

const SCOPES: readonly RunScope[] = ['from', 'to', 'node'];

/**
 * Run from here / run to here / run this node, each saying whether it publishes: as menu
 * items (the card's context menu) or as small buttons (the inspector). The run itself is the
 * caller's (`onRun`), which saves first as the Run button does.
 */
export function RunScopeButtons({ nodeId, onRun, asMenu, firstRef }: { nodeId: string; onRun(scope: RunScope): void; asMenu?: boolean; firstRef?: Ref<HTMLButtonElement> }): JSX.Element {
  const nodes = useDoc((s) => s.doc?.nodes);
  // The engine runs each lot of a partitioned pipeline whole: it refuses a selection (docs/lots.md).
  const partitioned = useDoc((s) => Boolean(s.doc?.partitions));
  const running = useRun((s) => isRunning(s.phase));
  const runs = useMemo(() => SCOPES.map((scope) => ({ scope, run: nodes ? scopedRun(nodes, nodeId, scope) : null })), [nodes, nodeId]);
  return (
    <>
      {runs.map(({ scope, run }, i) => (
        <button
          key={scope}
          ref={i === 0 ? firstRef : undefined}
          type="button"
          role={asMenu ? 'menuitem' : undefined}
          className={asMenu ? undefined : 'btn small'}
          disabled={!run || running || partitioned}
          title={
            partitioned ? 'A partitioned pipeline runs each lot whole: use Run, or the Lots tab' : running ? 'A run is in progress' : run ? scopeTitle(run) : 'This node cannot be named in a selection'
          }
          onClick={() => onRun(scope)}
          data-testid={`run-scope-${scope}`}
          data-publishes={run?.publishes.length ?? 0}
        >
          {run ? scopeLabel(run) : scopeLabel({ scope, publishes: [] })}
        </button>
      ))}
    </>
  );
}
