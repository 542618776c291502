import { useCallback, useEffect, useState } from 'react';
import type { CallbackDto, ErrorBody, LiveEvent, PublicLiveEvent, SubscribeAck } from '@frontdesk/contracts';
import type { ApiClient } from '../../lib/api-client';
import { useLiveSocket, type LiveConnection } from '../../lib/live-socket';
import { LiveSync, SEQ_ONLY_FOLD } from '../../lib/live-queue-sync';

const SUBSCRIBE_TIMEOUT_MS = 8_000;
type BranchEvent = LiveEvent | PublicLiveEvent;

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
  const { socket, connection } = useLiveSocket(token, true);
  const [callbacks, setCallbacks] = useState<CallbackDto[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [liveError, setLiveError] = useState<ErrorBody | null>(null);
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
          if (event.type.startsWith('callback.')) setRound((n) => n + 1);
        },
        onSnapshot: () => setRound((n) => n + 1),
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
  }, [socket, branchId]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { callbacks, loaded, loadError, connection, liveError, reload };
}
