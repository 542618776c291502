import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CallbackDto, ErrorBody, HotlineBoard, HotlineMetricsEventData } from '@frontdesk/contracts';
import type { ApiClient } from '../../lib/api-client';
import type { LiveConnection } from '../../lib/live-socket';
import { useStaffEvents, type BranchEvent } from '../../lib/use-staff-events';

/** Call lists are refetched after hotline events, at most this often (a busy queue sends many). */
const REFETCH_AFTER_MS = 400;

export interface HotlineLive {
  board: HotlineBoard | null;
  callbacks: CallbackDto[];
  loadError: unknown;
  connection: LiveConnection;
  liveError: ErrorBody | null;
  reloadCallbacks: () => void;
}

/**
 * The console's picture of one branch: the board and the open callbacks over HTTP, then the staff event
 * stream. `hotline.metrics` carries the numbers themselves; call and callback events refetch their list.
 */
export function useHotlineBoard(api: ApiClient, branchId: string, token: string | null): HotlineLive {
  const [board, setBoard] = useState<HotlineBoard | null>(null);
  const [callbacks, setCallbacks] = useState<CallbackDto[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [boardRound, setBoardRound] = useState(0);
  const [callbackRound, setCallbackRound] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.get<HotlineBoard>(`/api/branches/${branchId}/hotline/board`, { signal: controller.signal }).then(
      (b) => {
        setBoard(b);
        setLoadError(null);
      },
      (error: unknown) => !controller.signal.aborted && setLoadError(error),
    );
    return () => controller.abort();
  }, [api, branchId, boardRound]);

  useEffect(() => {
    const controller = new AbortController();
    api.get<CallbackDto[]>(`/api/callbacks?branchId=${branchId}`, { signal: controller.signal }).then(
      (list) => setCallbacks(list.filter((c) => c.status !== 'done')),
      (error: unknown) => !controller.signal.aborted && setLoadError(error),
    );
    return () => controller.abort();
  }, [api, branchId, callbackRound]);

  const refetchBoardSoon = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setBoardRound((n) => n + 1);
    }, REFETCH_AFTER_MS);
  }, []);
  useEffect(() => () => (timer.current ? clearTimeout(timer.current) : undefined), []);

  const handlers = useMemo(
    () => ({
      onEvent: (event: BranchEvent) => {
        if (event.type === 'hotline.metrics') {
          const data = event.data as HotlineMetricsEventData;
          setBoard((current) => (current ? { ...current, metrics: data.metrics, queues: data.queues } : current));
        }
        if (event.type.startsWith('hotline.') && event.type !== 'hotline.metrics') refetchBoardSoon();
        if (event.type.startsWith('callback.')) setCallbackRound((n) => n + 1);
      },
      onSnapshot: () => {
        setBoardRound((n) => n + 1);
        setCallbackRound((n) => n + 1);
      },
    }),
    [refetchBoardSoon],
  );
  const { connection, liveError } = useStaffEvents(token, branchId, handlers);

  const reloadCallbacks = useCallback(() => setCallbackRound((n) => n + 1), []);
  return { board, callbacks, loadError, connection, liveError, reloadCallbacks };
}
