import { useEffect, useRef, useState } from 'react';
import type { ErrorBody, LiveEvent, PublicLiveEvent, SubscribeAck } from '@frontdesk/contracts';
import { useLiveSocket, type LiveConnection } from './live-socket';
import { LiveQueueSync, type EventSource } from './live-queue-sync';
import type { QueueEvent, QueueStateFor, QueueView } from './live-queue-state';

const SUBSCRIBE_TIMEOUT_MS = 8_000;

export interface UseLiveQueueOptions<V extends QueueView> {
  branchId: string | null | undefined;
  view: V;
  token: string | null;
  /** Called once per applied event, in order (announcements, flashes, toasts). */
  onEvent?: (event: QueueEvent, source: EventSource) => void;
}

export interface LiveQueueResult<V extends QueueView> {
  state: QueueStateFor<V> | null;
  connection: LiveConnection;
  /** The server refused the subscription (e.g. wrong branch for this token). */
  error: ErrorBody | null;
}

/**
 * The live queue of one branch, shared by the wall screen, the kiosk and the
 * counter console. Snapshot + ordered events + catch-up live in LiveQueueSync;
 * this hook only wires it to a socket and to React state.
 */
export function useLiveQueue<V extends QueueView>({ branchId, view, token, onEvent }: UseLiveQueueOptions<V>): LiveQueueResult<V> {
  const { socket, connection } = useLiveSocket(token, Boolean(branchId));
  const [state, setState] = useState<QueueStateFor<V> | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [subscribed, setSubscribed] = useState(false);
  const onEventRef = useRef(onEvent);
  useEffect(() => {
    onEventRef.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    if (!socket || !branchId) {
      return;
    }
    const sync = new LiveQueueSync<QueueStateFor<V>>(
      branchId,
      view,
      {
        subscribe: (request) =>
          new Promise<SubscribeAck>((resolve, reject) => {
            socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit('subscribe', request, (err: Error | null, ack: SubscribeAck) => {
              if (err) {
                reject(err);
              } else {
                resolve(ack);
              }
            });
          }),
      },
      {
        onState: (next) => setState(next),
        onEvent: (event, source) => onEventRef.current?.(event, source),
        onSubscribed: () => {
          setError(null);
          setSubscribed(true);
        },
        onError: (err) => setError(err),
      },
    );

    const onConnect = () => sync.handleConnect();
    const onDisconnect = () => {
      setSubscribed(false);
      sync.handleDisconnect();
    };
    // Events of other capabilities (alerts, repairs...) carry data the queue picture does not read;
    // the fold leaves it alone and only moves seq.
    const onLiveEvent = (event: LiveEvent | PublicLiveEvent) => sync.handleEvent(event as QueueEvent);
    const onSync = (beacon: { branchId: string; seq: number }) => sync.handleSync(beacon);

    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('event', onLiveEvent);
    socket.on('sync', onSync);
    if (socket.connected) {
      sync.handleConnect();
    }
    return () => {
      sync.stop();
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('event', onLiveEvent);
      socket.off('sync', onSync);
      if (socket.connected) {
        socket.emit('unsubscribe', { branchId });
      }
      setState(null);
      setSubscribed(false);
    };
  }, [socket, branchId, view]);

  // "Live" on the indicator means subscribed and in step, not merely connected.
  const shownConnection: LiveConnection =
    connection.status === 'live' && !subscribed ? { ...connection, status: state ? 'reconnecting' : 'connecting' } : connection;

  return { state, connection: shownConnection, error };
}
