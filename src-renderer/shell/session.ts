import { useEffect, useState } from 'react';
import { sessionRefusal } from '../api/client';

/** Why this tab has no session with `weir serve` (the server's words), or null. */
export function useSessionRefusal(): string | null {
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void sessionRefusal.then((r) => live && setRefusal(r));
    return () => {
      live = false;
    };
  }, []);
  return refusal;
}
