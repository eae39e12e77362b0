import type { JSX } from 'react';
import { useUi } from '../ui/ui-store';
import { useWorkspace } from '../workspace/workspace-store';
import { useSessionRefusal } from './session';

/**
 * A browser tab without a session (opened without the link's one-time code, or with a used
 * one) can do nothing: it says so first, in the server's words, and how to get a link that
 * works, rather than offering to open a workspace it could not open.
 */
function SignedOut({ reason }: { reason: string }): JSX.Element {
  return (
    <div className="welcome signed-out" data-testid="no-session" role="alert">
      <h1>This tab is not signed in to Weir</h1>
      <p className="no-session-reason" data-testid="no-session-reason">
        {reason}
      </p>
      <div className="no-session-help">
        <p>
          <b>How to get a link that works:</b> the terminal where <code>weir serve</code> (or <code>npm start</code>) runs prints a link
          like <code>http://127.0.0.1:PORT/#launch=…</code>. Open that link in this browser. Each link works once; a browser that used it
          stays signed in until <code>weir serve</code> stops.
        </p>
        <p className="muted">No link in the terminal, or weir serve was restarted? Start it again and open the new link it prints.</p>
      </div>
    </div>
  );
}

/** What shows where the frame would be: no workspace open yet, or no session at all. */
export function Welcome(): JSX.Element {
  const notice = useWorkspace((s) => s.notice);
  const refusal = useSessionRefusal();
  if (refusal) return <SignedOut reason={refusal} />;
  // Until the server has answered, nothing: not an offer this tab may not be able to keep.
  if (refusal === undefined) return <div className="welcome" />;
  return (
    <div className="welcome">
      <h1>Weir</h1>
      <p>Open a workspace folder to design its pipelines.</p>
      {notice && <p className="muted">{notice}</p>}
      <button type="button" className="btn primary" onClick={() => useUi.getState().openDialog('openWorkspace')}>
        Open workspace…
      </button>
    </div>
  );
}
