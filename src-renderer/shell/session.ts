import { useEffect, useState } from 'react';
import { sessionRefusal } from '../api/client';

/**
 * Why this tab has no session with `weir serve` (the server's words), null when it has one
 * (or is the desktop app), undefined until the server has answered.
 */
export function useSessionRefusal(): string | null | undefined {
  const [refusal, setRefusal] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void sessionRefusal.then((r) => live && setRefusal(r));
    return () => {
      live = false;
    };
  }, []);
  return refusal;
}
