import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorBody, SubscribeAck } from '@frontdesk/contracts';
import { useLiveSocket, type LiveConnection } from '../../lib/live-socket';

/** Figures are refetched after events at most this often: a busy centre sends several events a second. */
const REFETCH_AFTER_MS = 1_500;
/** Waits grow with nobody doing anything: refetch at least this often. */
const HEARTBEAT_MS = 30_000;

/**
 * The manager view's pulse: subscribe to the branch's manager stream and bump `round` (throttled) after
 * any event or reconnect, so each panel refetches its numbers from the same SQL a reload would use.
 */
export function useManagerLive(
  branchId: string,
  token: string | null,
): { round: number; connection: LiveConnection; liveError: ErrorBody | null; lastEventType: string | null } {
  const { socket, connection } = useLiveSocket(token, true);
  const [round, setRound] = useState(0);
  const [liveError, setLiveError] = useState<ErrorBody | null>(null);
  const [lastEventType, setLastEventType] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const soon = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setRound((n) => n + 1);
    }, REFETCH_AFTER_MS);
  }, []);

  useEffect(() => {
    const beat = setInterval(() => setRound((n) => n + 1), HEARTBEAT_MS);
    return () => {
      clearInterval(beat);
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  useEffect(() => {
    if (!socket) return;
    const subscribe = () => {
      socket.timeout(8_000).emit('subscribe', { branchId, view: 'manager' }, (err: Error | null, ack: SubscribeAck) => {
        if (err) return;
        setLiveError(ack.ok ? null : ack.error);
        soon();
      });
    };
    const onEvent = (e: { type: string; branchId: string }) => {
      if (e.branchId !== branchId) return;
      setLastEventType(e.type);
      soon();
    };
    socket.on('connect', subscribe);
    socket.on('event', onEvent);
    if (socket.connected) subscribe();
    return () => {
      socket.off('connect', subscribe);
      socket.off('event', onEvent);
    };
  }, [socket, branchId, soon]);

  return { round, connection, liveError, lastEventType };
}
