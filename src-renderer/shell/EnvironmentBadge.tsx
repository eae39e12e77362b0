import type { JSX } from 'react';
import { useActiveEnvironment } from '../run/run-options';
import './environment-badge.css';

/**
 * Says, in the top bar, that a protected environment (production) is in use: what runs and
 * previews read and publish now reaches what others rely on. The top bar itself is tinted too
 * (`data-env-protected`, see TopBar), so it shows in every view of the app.
 */
export function EnvironmentBadge(): JSX.Element | null {
  const env = useActiveEnvironment();
  if (!env?.protected) return null;
  return (
    <span className="env-badge" role="status" data-testid="env-badge" data-env={env.name} title={`Runs and previews use the connections of ${env.name}, a protected environment: runs ask before they start`}>
      <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round">
        <path d="M8 1.8 13.5 4v4c0 3.2-2.4 5.3-5.5 6.2C4.9 13.3 2.5 11.2 2.5 8V4z" />
      </svg>
      {/* Below 1280 px only the shield shows (the words stay for screen readers and the title):
          the tinted bar and the switch already say which environment, and the pipeline's name needs the room. */}
      <span className="env-badge-words">{env.name} · protected</span>
    </span>
  );
}
