import type { JSX } from 'react';
import { usePanel } from '../ui/panel-store';
import { useRunConfig } from '../run/run-config-store';
import { isRunning, useRun } from '../run/run-store';
import { useWorkspace } from '../workspace/workspace-store';

/**
 * The environment runs and previews use, one click away: dev against the local lake, prod
 * against MinIO and the production database. The workspace file's default stays as it is.
 */
export function EnvironmentSwitch(): JSX.Element | null {
  const envs = useWorkspace((s) => s.workspace?.environments);
  const fallback = useWorkspace((s) => s.workspace?.defaultEnvironment ?? 'dev');
  const picked = useRunConfig((s) => s.environment);
  const running = useRun((s) => isRunning(s.phase));
  if (!envs?.length) return null;
  const active = picked && envs.includes(picked) ? picked : fallback;
  const pick = (e: string) => useRunConfig.getState().setEnvironment(e === fallback ? null : e);
  return (
    <div className="env-switch" role="radiogroup" aria-label="Environment" data-testid="env-switch" data-active={active}>
      {envs.length <= 4 ? (
        envs.map((e) => (
          <button
            key={e}
            type="button"
            role="radio"
            aria-checked={e === active}
            className={`${e === active ? 'on' : ''}${/prod/i.test(e) ? ' prod' : ''}`}
            onClick={() => pick(e)}
            disabled={running}
            title={running ? 'The environment changes after this run' : `Run and preview with the connections of ${e}`}
            data-testid={`env-${e}`}
          >
            {e}
          </button>
        ))
      ) : (
        <select value={active} onChange={(ev) => pick(ev.target.value)} disabled={running} aria-label="Environment">
          {envs.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
      )}
      <button type="button" className="env-more" onClick={() => usePanel.getState().show('connections')} title="Connections of each environment" aria-label="Connections" data-testid="open-connections">
        ⚙
      </button>
    </div>
  );
}
