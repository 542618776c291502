import { useCallback, useEffect, useState } from 'react';
import type { PublicRepairDto, PublicRepairEventData } from '@frontdesk/contracts';
import type { ApiClient } from '../../lib/api-client';
import type { QueueEvent } from '../../lib/live-queue-state';

/** A safety net only: events keep the board current; this catches anything a reconnect skipped. */
const REFETCH_MS = 60_000;

/** The lobby projection of a repair event, when it is one (other events carry tickets or nothing). */
export function publicRepairOf(event: QueueEvent): PublicRepairDto | null {
  if (!event.type.startsWith('repair.')) {
    return null;
  }
  const data = event.data as Partial<PublicRepairEventData>;
  return data.repair && typeof data.repair.orderNo === 'string' ? data.repair : null;
}

/** Folds one repair into the ready list: in while ready for pickup, out otherwise; a stale copy never wins. */
export function foldReady(list: readonly PublicRepairDto[], repair: PublicRepairDto): PublicRepairDto[] {
  const existing = list.find((r) => r.orderNo === repair.orderNo);
  if (existing && Date.parse(existing.updatedAt) > Date.parse(repair.updatedAt)) {
    return [...list];
  }
  const others = list.filter((r) => r.orderNo !== repair.orderNo);
  return repair.status === 'ready_for_pickup' ? [...others, repair] : others;
}

export function newestFirst(a: PublicRepairDto, b: PublicRepairDto): number {
  return Date.parse(b.readyAt ?? b.updatedAt) - Date.parse(a.readyAt ?? a.updatedAt);
}

export interface ReadyBoardState {
  ready: PublicRepairDto[];
  onEvent: (event: QueueEvent) => void;
  /** Fetch the list again (after a reconnect: events may have been missed while away). */
  reload: () => void;
}

/** The branch's ready-for-pickup repairs, fetched on mount and on reload, then kept by live events. */
export function useReadyBoard(api: ApiClient, branchId: string): ReadyBoardState {
  const [ready, setReady] = useState<PublicRepairDto[]>([]);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let cancelled = false;
    const load = () => {
      const requestedAt = Date.now();
      api.get<PublicRepairDto[]>(`/api/branches/${branchId}/repairs/ready`).then(
        (list) => {
          if (cancelled) {
            return;
          }
          // Anything the stream changed after we asked is newer than this answer.
          setReady((current) => current.filter((r) => Date.parse(r.updatedAt) >= requestedAt).reduce(foldReady, list));
        },
        () => undefined,
      );
    };
    load();
    const timer = setInterval(load, REFETCH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api, branchId, round]);

  const onEvent = useCallback((event: QueueEvent) => {
    const repair = publicRepairOf(event);
    if (repair) {
      setReady((current) => foldReady(current, repair));
    }
  }, []);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ready, onEvent, reload };
}
