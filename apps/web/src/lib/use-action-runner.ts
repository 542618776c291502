import { useCallback, useRef, useState } from 'react';

export interface ActionFailure {
  action: string;
  error: unknown;
  /** Runs the very same request again (same idempotency key if the outcome was unknown). */
  retry: () => void;
}

/**
 * One action at a time for a console: a double click or a held key never sends
 * two requests, and a failure keeps what is needed to retry it as-is.
 */
export function useActionRunner() {
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const running = useRef(false);

  const run = useCallback(async (action: string, perform: () => Promise<void>): Promise<void> => {
    if (running.current) {
      return;
    }
    running.current = true;
    setBusy(action);
    setFailure(null);
    try {
      await perform();
    } catch (error) {
      setFailure({ action, error, retry: () => void run(action, perform) });
    } finally {
      running.current = false;
      setBusy(null);
    }
  }, []);

  const dismiss = useCallback(() => setFailure(null), []);
  return { busy, failure, run, dismiss };
}
