import { useEffect, type JSX } from 'react';
import { suggestJoinKeys, type KeyPair } from '../../shared/nodes/join/key-suggest';
import type { ColumnInfo } from '../sql/completion';

/** Nodes whose empty key list was filled once already: undoing the fill must not fill it again. */
const filled = new Set<string>();

const samePair = (a: KeyPair, b: KeyPair) => a.left.toLowerCase() === b.left.toLowerCase() && a.right.toLowerCase() === b.right.toLowerCase();

function pairsOf(value: unknown): KeyPair[] {
  if (!Array.isArray(value)) return [];
  return value.filter((p): p is KeyPair => !!p && typeof p === 'object' && typeof (p as KeyPair).left === 'string' && typeof (p as KeyPair).right === 'string');
}

/**
 * For a kind that matches columns of its two inputs in pairs (a join's `on`, declared as the
 * kind's `form.keyPairs`): the inputs' common columns of comparable types as one-click pairs;
 * and, the first time the form sees the list empty and required (the kind's validation says
 * so at that path) with a clear common key, that key filled in, as an edit that undo takes back.
 */
export function KeyPairSuggestions({
  nodeId,
  listPath,
  config,
  onChange,
  columnsOf,
  required,
}: {
  nodeId: string;
  listPath: string;
  config: Record<string, unknown>;
  onChange(config: Record<string, unknown>): void;
  columnsOf(input: number): readonly ColumnInfo[] | null;
  /** The kind's validation has a problem at the list (it is empty and nothing else stands in for it). */
  required: boolean;
}): JSX.Element | null {
  const left = columnsOf(0);
  const right = columnsOf(1);
  const suggestion = left && right ? suggestJoinKeys(left, right) : null;
  const pairs = pairsOf(config[listPath]);
  const fill = suggestion && required && pairs.length === 0 && suggestion.key.length > 0 && !filled.has(nodeId) ? suggestion.key : null;

  useEffect(() => {
    if (!fill || filled.has(nodeId)) return;
    filled.add(nodeId);
    onChange({ ...config, [listPath]: fill });
    // Once per node, when the fill becomes possible; config and onChange are read as they are then.
  }, [fill, nodeId]);

  if (!suggestion) return null;
  if (!suggestion.common.length) {
    return (
      <div className="key-suggestions hint" data-testid="key-suggestions">
        The inputs share no column of a comparable type: pick the columns to match on.
      </div>
    );
  }
  return (
    <div className="key-suggestions" data-testid="key-suggestions">
      <span className="hint">Common columns:</span>{' '}
      {suggestion.common.map((p) => {
        const on = pairs.some((q) => samePair(p, q));
        return (
          <button
            type="button"
            key={`${p.left}=${p.right}`}
            className={`column-pick${on ? ' on' : ''}`}
            aria-pressed={on}
            title={on ? `Matching on ${p.left} = ${p.right}; click to stop` : `Match on ${p.left} = ${p.right}`}
            onClick={() => onChange({ ...config, [listPath]: on ? pairs.filter((q) => !samePair(p, q)) : [...pairs, p] })}
          >
            {p.left === p.right ? p.left : `${p.left} = ${p.right}`}
          </button>
        );
      })}
    </div>
  );
}
