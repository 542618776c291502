import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorBody, LiveEvent, PublicLiveEvent, RepairEventData, RepairListDto, RepairSummaryDto, SubscribeAck } from '@frontdesk/contracts';
import type { ApiClient } from '../../lib/api-client';
import { useLiveSocket, type LiveConnection } from '../../lib/live-socket';
import { LiveSync, SEQ_ONLY_FOLD, type EventSource } from '../../lib/live-queue-sync';
import { mergeRepair, replaceList } from './repair-model';

const SUBSCRIBE_TIMEOUT_MS = 8_000;
const PAGE_SIZE = 200;

type BranchEvent = LiveEvent | PublicLiveEvent;

export function repairOf(event: BranchEvent): RepairSummaryDto | null {
  if (!event.type.startsWith('repair.')) {
    return null;
  }
  const data = event.data as Partial<RepairEventData>;
  return data.repair && 'id' in data.repair ? data.repair : null;
}

export interface RepairBoard {
  repairs: RepairSummaryDto[];
  loaded: boolean;
  loadError: unknown;
  connection: LiveConnection;
  liveError: ErrorBody | null;
  reload: () => void;
  /** Put an HTTP answer on the board at once (the live event follows and changes nothing). */
  apply: (repair: RepairSummaryDto) => void;
}

/**
 * The active repairs of one branch, kept live. The list comes over HTTP; the staff event stream then
 * folds in every `repair.*` event, in seq order, with the lobby's gap and catch-up rules (LiveSync).
 * When the stream has to start again from a snapshot, events may have been missed: the list is fetched again.
 */
export function useRepairBoard(
  api: ApiClient,
  branchId: string,
  token: string | null,
  onRepairEvent?: (repair: RepairSummaryDto, event: BranchEvent) => void,
): RepairBoard {
  const { socket, connection } = useLiveSocket(token, true);
  const [repairs, setRepairs] = useState<RepairSummaryDto[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [liveError, setLiveError] = useState<ErrorBody | null>(null);
  const [subscribed, setSubscribed] = useState(false);
  const [fetchRound, setFetchRound] = useState(0);
  const onRepairEventRef = useRef(onRepairEvent);
  useEffect(() => {
    onRepairEventRef.current = onRepairEvent;
  }, [onRepairEvent]);

  useEffect(() => {
    const controller = new AbortController();
    const requestedAt = Date.now();
    api.get<RepairListDto>(`/api/repairs?branchId=${encodeURIComponent(branchId)}&pageSize=${PAGE_SIZE}`, { signal: controller.signal }).then(
      (list) => {
        if (!controller.signal.aborted) {
          setRepairs((current) => replaceList(current, list.items, requestedAt));
          setLoaded(true);
          setLoadError(null);
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setLoadError(error);
        }
      },
    );
    return () => controller.abort();
  }, [api, branchId, fetchRound]);

  const reload = useCallback(() => setFetchRound((n) => n + 1), []);
  const apply = useCallback((repair: RepairSummaryDto) => setRepairs((current) => mergeRepair(current, repair)), []);

  useEffect(() => {
    if (!socket) {
      return;
    }
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
        onEvent: (event: BranchEvent, _source: EventSource) => {
          const repair = repairOf(event);
          if (repair) {
            setRepairs((current) => mergeRepair(current, repair));
            onRepairEventRef.current?.(repair, event);
          }
        },
        // A snapshot is a new base: whatever happened before it reaches us only through the list.
        onSnapshot: () => setFetchRound((n) => n + 1),
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
    if (socket.connected) {
      sync.handleConnect();
    }
    return () => {
      sync.stop();
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('event', onEvent);
      socket.off('sync', onSync);
      setSubscribed(false);
    };
  }, [socket, branchId]);

  const shownConnection: LiveConnection = connection.status === 'live' && !subscribed ? { ...connection, status: 'connecting' } : connection;
  return { repairs, loaded, loadError, connection: shownConnection, liveError, reload, apply };
}
