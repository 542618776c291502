import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallbackDto, ErrorBody, HotlineBoard, HotlineMetricsEventData, LiveEvent, PublicLiveEvent, SubscribeAck } from '@frontdesk/contracts';
import type { ApiClient } from '../../lib/api-client';
import { useLiveSocket, type LiveConnection } from '../../lib/live-socket';
import { LiveSync, SEQ_ONLY_FOLD } from '../../lib/live-queue-sync';

const SUBSCRIBE_TIMEOUT_MS = 8_000;
/** Call lists are refetched after hotline events, at most this often (a busy queue sends many). */
const REFETCH_AFTER_MS = 400;

type BranchEvent = LiveEvent | PublicLiveEvent;

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
  const { socket, connection } = useLiveSocket(token, true);
  const [board, setBoard] = useState<HotlineBoard | null>(null);
  const [callbacks, setCallbacks] = useState<CallbackDto[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [liveError, setLiveError] = useState<ErrorBody | null>(null);
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

  useEffect(() => {
    if (!socket) return;
    const sync = new LiveSync<{ seq: number }, BranchEvent>(
      branchId,
      'staff',
      {
        subscribe: (request) =>
          new Promise<SubscribeAck>((resolve, reject) => {
            socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit('subscribe', request, (err: Error | null, ack: SubscribeAck) => (err ? reject(err) : resolve(ack)));
          }),
      },
      {
        onState: () => undefined,
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
        onSubscribed: () => setLiveError(null),
        onError: (error) => setLiveError(error),
      },
      {},
      SEQ_ONLY_FOLD,
    );
    const onConnect = () => sync.handleConnect();
    const onDisconnect = () => sync.handleDisconnect();
    const onEvent = (event: BranchEvent) => sync.handleEvent(event);
    const onSync = (beacon: { branchId: string; seq: number }) => sync.handleSync(beacon);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('event', onEvent);
    socket.on('sync', onSync);
    if (socket.connected) sync.handleConnect();
    return () => {
      sync.stop();
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('event', onEvent);
      socket.off('sync', onSync);
    };
  }, [socket, branchId, refetchBoardSoon]);

  const reloadCallbacks = useCallback(() => setCallbackRound((n) => n + 1), []);
  return { board, callbacks, loadError, connection, liveError, reloadCallbacks };
}
