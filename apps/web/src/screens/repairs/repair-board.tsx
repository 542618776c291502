import { useCallback, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, RepairListDto, RepairSummaryDto, RepairTechnicianDto, UserDto } from '@frontdesk/contracts';
import { Button, StatusPill, useNow } from '@frontdesk/ui';
import { LiveIndicator } from '../../components/live-indicator';
import { ErrorBanner } from '../../components/screen-state';
import { StaffBar } from '../../components/staff-bar';
import { useToast } from '../../components/toast';
import type { ApiClient } from '../../lib/api-client';
import { useApiGet } from '../../lib/use-resource';
import { BOARD_COLUMNS, STATUS_TONE, byPromisedAt, filterRepairs, isOverdue, type BoardFilter } from './repair-model';
import { RepairCard } from './repair-card';
import { RepairDetail } from './repair-detail';
import { useRepairBoard } from './use-repair-board';

interface RepairBoardViewProps {
  branch: BranchDto;
  api: ApiClient;
  token: string | null;
  user: UserDto | null;
  branchSwitch: ReactNode;
}

export function RepairBoardView({ branch, api, token, user, branchSwitch }: RepairBoardViewProps) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const [toast, showToast] = useToast(4000);
  const onRepairEvent = useCallback(
    (repair: RepairSummaryDto, event: { type: string }) => {
      if (event.type === 'repair.created') {
        showToast(t('repairs.board.newOrder', { orderNo: repair.orderNo }));
      }
    },
    [showToast, t],
  );
  const board = useRepairBoard(api, branch.id, token, onRepairEvent);
  const [filter, setFilter] = useState<BoardFilter>({ text: '', overdueOnly: false, technician: 'all' });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [search, setSearch] = useState<{ q: string; items: RepairSummaryDto[] } | null>(null);
  const [searchError, setSearchError] = useState<unknown>(null);

  const shown = useMemo(() => {
    // After a server search the board shows what the server matched (full phone numbers and IMEIs are not on the cards).
    const serverMatch = search && search.q === filter.text.trim() ? new Set(search.items.map((r) => r.id)) : null;
    const base = serverMatch ? board.repairs.filter((r) => serverMatch.has(r.id)) : board.repairs;
    return filterRepairs(base, serverMatch ? { ...filter, text: '' } : filter, user?.id ?? null, now);
  }, [board.repairs, filter, user?.id, now, search]);
  const overdueCount = useMemo(() => board.repairs.filter((r) => isOverdue(r, now)).length, [board.repairs, now]);
  // Who repairs can go to (the API's list), plus anyone already holding one on the board.
  const directory = useApiGet<RepairTechnicianDto[]>(api, `/api/branches/${branch.id}/technicians`);
  const technicians = useMemo(() => {
    const byId = new Map<string, { id: string; name: string }>();
    for (const tech of directory.data ?? []) {
      byId.set(tech.id, { id: tech.id, name: tech.name });
    }
    for (const repair of board.repairs) {
      if (repair.technician) {
        byId.set(repair.technician.id, repair.technician);
      }
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [board.repairs, directory.data]);
  const selected = board.repairs.find((r) => r.id === selectedId) ?? search?.items.find((r) => r.id === selectedId) ?? null;

  // The API searches what the board cannot: full phone numbers, IMEIs and finished orders.
  const runSearch = (event: FormEvent) => {
    event.preventDefault();
    const q = filter.text.trim();
    if (q.length < 3) {
      setSearch(null);
      return;
    }
    setSearchError(null);
    api.get<RepairListDto>(`/api/repairs?branchId=${encodeURIComponent(branch.id)}&q=${encodeURIComponent(q)}&includeClosed=true&pageSize=50`).then(
      (list) => setSearch({ q, items: list.items }),
      (error: unknown) => setSearchError(error),
    );
  };

  return (
    <div className={`repairs-page ${selected ? 'repairs-page--detail' : ''}`}>
      <StaffBar title={t('repairs.board.title')}>
        {branchSwitch}
        <LiveIndicator connection={board.connection} timeZone={branch.timeZone} />
      </StaffBar>

      <form className="repairs-toolbar" onSubmit={runSearch} role="search">
        <input
          className="input repairs-toolbar__search"
          type="search"
          value={filter.text}
          placeholder={t('repairs.board.searchPlaceholder')}
          aria-label={t('repairs.board.search')}
          onChange={(e) => {
            setFilter({ ...filter, text: e.target.value });
            if (!e.target.value) {
              setSearch(null);
            }
          }}
        />
        <Button type="submit" size="sm">
          {t('repairs.board.searchAll')}
        </Button>
        <div className="fd-lang" role="group" aria-label={t('repairs.board.technician')}>
          {(['all', 'mine', 'unassigned'] as const).map((value) => (
            <button
              key={value}
              type="button"
              className="fd-lang__option"
              aria-pressed={filter.technician === value}
              onClick={() => setFilter({ ...filter, technician: value })}
            >
              {t(`repairs.board.tech.${value}`)}
            </button>
          ))}
        </div>
        <label className="repairs-toolbar__check">
          <input type="checkbox" checked={filter.overdueOnly} onChange={(e) => setFilter({ ...filter, overdueOnly: e.target.checked })} />
          {t('repairs.board.overdueOnly')}
          {overdueCount > 0 && <StatusPill tone="danger">{overdueCount}</StatusPill>}
        </label>
        <span className="repairs-toolbar__count">{t('repairs.board.count', { count: shown.length })}</span>
      </form>

      {Boolean(board.loadError || board.liveError || searchError) && (
        <div className="repairs-alerts">
          {board.loadError ? <ErrorBanner error={board.loadError} onRetry={board.reload} /> : null}
          {searchError ? <ErrorBanner error={searchError} onDismiss={() => setSearchError(null)} /> : null}
          {board.liveError && (
            <div className="error-banner" role="alert">
              <strong>{t('counter.liveRefused')}</strong>
              <span className="error-banner__detail">{board.liveError.message}</span>
            </div>
          )}
        </div>
      )}

      {search && (
        <section className="repairs-search" aria-label={t('repairs.board.results')}>
          <header className="repairs-search__head">
            <strong>{t('repairs.board.resultsFor', { q: search.q, count: search.items.length })}</strong>
            <Button size="sm" variant="ghost" onClick={() => setSearch(null)}>
              ×
            </Button>
          </header>
          <div className="repairs-search__list">
            {search.items.map((repair) => (
              <button key={repair.id} type="button" className="repairs-search__row" onClick={() => setSelectedId(repair.id)}>
                <span className="tabular repairs-search__order">{repair.orderNo}</span>
                <StatusPill tone={STATUS_TONE[repair.status]}>{t(`repairs.status.${repair.status}`)}</StatusPill>
                <span>
                  {repair.device.brand} {repair.device.model}
                </span>
                <span className="repairs-search__muted">
                  {repair.customer.name} · {repair.customer.phoneMasked}
                </span>
              </button>
            ))}
            {search.items.length === 0 && <p className="repairs-search__muted">{t('repairs.board.noResults')}</p>}
          </div>
        </section>
      )}

      <main className="repairs-board" aria-busy={!board.loaded}>
        {BOARD_COLUMNS.map((status) => {
          const items = shown.filter((r) => r.status === status).sort(byPromisedAt);
          return (
            <section key={status} className={`repairs-column repairs-column--${status}`} aria-label={t(`repairs.status.${status}`)} data-status={status}>
              <header className="repairs-column__head">
                <span className={`repairs-column__dot repairs-column__dot--${STATUS_TONE[status]}`} />
                <span className="repairs-column__title" title={t(`repairs.status.${status}`)}>
                  {t(`repairs.status.${status}`)}
                </span>
                <span className="repairs-column__count tabular">{items.length}</span>
              </header>
              <div className="repairs-column__cards">
                {items.map((repair) => (
                  <RepairCard
                    key={repair.id}
                    repair={repair}
                    overdue={isOverdue(repair, now)}
                    timeZone={branch.timeZone}
                    selected={repair.id === selectedId}
                    onOpen={() => setSelectedId(repair.id)}
                  />
                ))}
                {items.length === 0 && <p className="repairs-column__empty">—</p>}
              </div>
            </section>
          );
        })}
      </main>

      {selected && (
        <RepairDetail
          key={selected.id}
          summary={selected}
          branch={branch}
          api={api}
          user={user}
          technicians={technicians}
          onChanged={(repair) => {
            board.apply(repair);
            if (search) {
              setSearch({ ...search, items: search.items.map((item) => (item.id === repair.id ? repair : item)) });
            }
          }}
          onClose={() => setSelectedId(null)}
        />
      )}
      {toast}
    </div>
  );
}
