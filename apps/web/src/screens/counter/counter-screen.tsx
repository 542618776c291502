import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, CounterDto } from '@frontdesk/contracts';
import { Button } from '@frontdesk/ui';
import { ScreenError, ScreenLoading } from '../../components/screen-state';
import { StaffBar } from '../../components/staff-bar';
import { useBranchDefaultLanguage, useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import { loadSession, useUserApi } from '../../lib/session-store';
import { useApiGet } from '../../lib/use-resource';
import { loadCounterChoice, saveCounterChoice, type CounterChoice } from './counter-choice';
import { CounterConsole } from './counter-console';
import { CounterPicker } from './counter-picker';
import './counter.css';

/** Staff only (RequireUser): pick the branch and the counter this desk is, then run the console. */
export function CounterScreen() {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const api = useUserApi();
  const user = loadSession()?.user;
  const branches = useApiGet<BranchDto[]>(api, '/api/branches');
  const [choice, setChoice] = useState<CounterChoice | null>(loadCounterChoice);

  const choose = (next: CounterChoice | null) => {
    saveCounterChoice(next);
    setChoice(next);
  };

  const visible = (branches.data ?? []).filter((b) => !user || user.branchIds.length === 0 || user.branchIds.includes(b.id));
  const branch = visible.find((b) => b.id === choice?.branchId) ?? (visible.length === 1 ? visible[0] : undefined);
  useBranchDefaultLanguage(branch?.defaultLanguage);

  const counters = useApiGet<CounterDto[]>(api, branch ? `/api/branches/${branch.id}/counters` : null);

  if (branches.error) {
    return <ScreenError error={branches.error} onRetry={branches.reload} />;
  }
  if (!branches.data) {
    return <ScreenLoading />;
  }

  if (!branch) {
    return (
      <div className="counter-page">
        <StaffBar title={t('counter.title')} />
        <main className="counter-pick">
          <h1>{t('counter.chooseBranch')}</h1>
          {visible.length === 0 && <p>{t('counter.noBranches')}</p>}
          <div className="counter-pick__grid">
            {visible.map((b) => (
              <button key={b.id} type="button" className="counter-pick__card" onClick={() => choose({ branchId: b.id, counterId: null })}>
                <span className="counter-pick__name">{pickText(b.name, language)}</span>
                <span className="counter-pick__meta">{b.code}</span>
              </button>
            ))}
          </div>
        </main>
      </div>
    );
  }

  const counter = counters.data?.find((c) => c.id === choice?.counterId && choice.branchId === branch.id);
  const branchSwitch =
    visible.length > 1 ? (
      <Button size="sm" variant="ghost" onClick={() => choose(null)}>
        {pickText(branch.name, language)} ▾
      </Button>
    ) : (
      <span className="app-bar__context">{pickText(branch.name, language)}</span>
    );

  if (!counter) {
    return (
      <div className="counter-page">
        <StaffBar title={t('counter.title')}>{branchSwitch}</StaffBar>
        {counters.error ? (
          <ScreenError error={counters.error} onRetry={counters.reload} />
        ) : !counters.data ? (
          <ScreenLoading />
        ) : (
          <CounterPicker counters={counters.data} currentUserId={user?.id ?? null} onPick={(id) => choose({ branchId: branch.id, counterId: id })} />
        )}
      </div>
    );
  }

  return (
    <CounterConsole
      key={`${branch.id}:${counter.id}`}
      branch={branch}
      initialCounter={counter}
      initialCounters={counters.data ?? []}
      api={api}
      token={loadSession()?.accessToken ?? null}
      branchSwitch={branchSwitch}
      onSwitchCounter={() => choose({ branchId: branch.id, counterId: null })}
    />
  );
}
