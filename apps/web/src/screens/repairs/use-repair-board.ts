import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ErrorBody, RepairEventData, RepairListDto, RepairSummaryDto } from '@frontdesk/contracts';
import type { ApiClient } from '../../lib/api-client';
import type { LiveConnection } from '../../lib/live-socket';
import { useStaffEvents, type BranchEvent } from '../../lib/use-staff-events';
import { mergeRepair, replaceList } from './repair-model';

const PAGE_SIZE = 200;

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
  const [repairs, setRepairs] = useState<RepairSummaryDto[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
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

  const handlers = useMemo(
    () => ({
      onEvent: (event: BranchEvent) => {
        const repair = repairOf(event);
        if (repair) {
          setRepairs((current) => mergeRepair(current, repair));
          onRepairEventRef.current?.(repair, event);
        }
      },
      // A snapshot is a new base: whatever happened before it reaches us only through the list.
      onSnapshot: reload,
    }),
    [reload],
  );
  const { connection, liveError } = useStaffEvents(token, branchId, handlers);

  return { repairs, loaded, loadError, connection, liveError, reload, apply };
}
