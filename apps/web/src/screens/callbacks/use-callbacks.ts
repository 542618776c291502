import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CallbackDto, ErrorBody } from '@frontdesk/contracts';
import type { ApiClient } from '../../lib/api-client';
import type { LiveConnection } from '../../lib/live-socket';
import { useStaffEvents } from '../../lib/use-staff-events';

export interface CallbacksLive {
  callbacks: CallbackDto[];
  loaded: boolean;
  loadError: unknown;
  connection: LiveConnection;
  liveError: ErrorBody | null;
  reload: () => void;
}

/**
 * Every callback of one branch over HTTP, then the staff event stream: a `callback.*` event (scheduled, due when the
 * worker's job fires, completed) refetches the list, so the console changes without a reload.
 */
export function useCallbacks(api: ApiClient, branchId: string, token: string | null): CallbacksLive {
  const [callbacks, setCallbacks] = useState<CallbackDto[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.get<CallbackDto[]>(`/api/callbacks?branchId=${branchId}`, { signal: controller.signal }).then(
      (list) => {
        setCallbacks(list);
        setLoaded(true);
        setLoadError(null);
      },
      (error: unknown) => !controller.signal.aborted && setLoadError(error),
    );
    return () => controller.abort();
  }, [api, branchId, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  const handlers = useMemo(
    () => ({
      onEvent: (event: { type: string }) => {
        if (event.type.startsWith('callback.')) reload();
      },
      onSnapshot: reload,
    }),
    [reload],
  );
  const { connection, liveError } = useStaffEvents(token, branchId, handlers);
  return { callbacks, loaded, loadError, connection, liveError, reload };
}
