import { useEffect, useRef, useState } from 'react';
import type { ErrorBody, LiveEvent, PublicLiveEvent, SubscribeAck } from '@frontdesk/contracts';
import { useLiveSocket, type LiveConnection } from './live-socket';
import { LiveSync, SEQ_ONLY_FOLD } from './live-queue-sync';

const SUBSCRIBE_TIMEOUT_MS = 8_000;

export type BranchEvent = LiveEvent | PublicLiveEvent;

export interface StaffEventHandlers {
  /** Each event of the branch, once and in seq order (gaps are replayed first). */
  onEvent: (event: BranchEvent) => void;
  /** The stream started again from a snapshot: events may have been missed, so refetch what the screen shows. */
  onSnapshot: () => void;
}

export interface StaffEvents {
  /** `connecting` until the subscription is acknowledged, so "live" means events are flowing. */
  connection: LiveConnection;
  liveError: ErrorBody | null;
}

/**
 * The staff event stream of one branch for screens that keep their own picture (repairs, hotline, callbacks):
 * the socket, the subscription with the lobby's gap and catch-up rules (LiveSync, seq only), and the error of the
 * last subscription. Handlers are read at each event, so a screen may pass new ones without resubscribing.
 */
export function useStaffEvents(token: string | null, branchId: string, handlers: StaffEventHandlers): StaffEvents {
  const { socket, connection } = useLiveSocket(token, true);
  const [liveError, setLiveError] = useState<ErrorBody | null>(null);
  const [subscribed, setSubscribed] = useState(false);
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  }, [handlers]);

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
        onEvent: (event: BranchEvent) => latest.current.onEvent(event),
        onSnapshot: () => latest.current.onSnapshot(),
        onSubscribed: () => {
          setLiveError(null);
          setSubscribed(true);
        },
        onError: (error) => setLiveError(error),
      },
      {},
      SEQ_ONLY_FOLD,
    );
    const onConnect = () => sync.handleConnect();
    const onDisconnect = () => {
      setSubscribed(false);
      sync.handleDisconnect();
    };
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
      setSubscribed(false);
    };
  }, [socket, branchId]);

  const shown: LiveConnection = connection.status === 'live' && !subscribed ? { ...connection, status: 'connecting' } : connection;
  return { connection: shown, liveError };
}
