import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto } from '@frontdesk/contracts';
import { CenteredMessage, ScreenError, ScreenLoading } from '../../components/screen-state';
import { useBranchDefaultLanguage, useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import { loadSession, useUserApi } from '../../lib/session-store';
import { useApiGet } from '../../lib/use-resource';
import { CallbackConsole } from './callback-console';
import './callbacks.css';

const BRANCH_KEY = 'frontdesk.callbacksBranch';

function storedBranch(): string | null {
  try {
    return window.localStorage.getItem(BRANCH_KEY);
  } catch {
    return null;
  }
}

/** /callbacks, for hotline agents, front desk and managers: one branch's callbacks, live. */
export function CallbacksScreen() {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const api = useUserApi();
  const session = loadSession();
  const branches = useApiGet<BranchDto[]>(api, '/api/branches');
  const [branchId, setBranchId] = useState<string | null>(storedBranch);
  const visible = branches.data ?? [];
  const branch = visible.find((b) => b.id === branchId) ?? visible[0];
  useBranchDefaultLanguage(branch?.defaultLanguage);

  if (branches.error) return <ScreenError error={branches.error} onRetry={branches.reload} />;
  if (!branches.data) return <ScreenLoading />;
  if (!branch) return <CenteredMessage tone="warning" title={t('callbacksConsole.title')} message={t('counter.noBranches')} />;

  const choose = (id: string) => {
    try {
      window.localStorage.setItem(BRANCH_KEY, id);
    } catch {
      // Next time the console starts on the first branch.
    }
    setBranchId(id);
  };
  const branchSwitch =
    visible.length > 1 ? (
      <select className="select" value={branch.id} onChange={(e) => choose(e.target.value)} aria-label={t('counter.chooseBranch')}>
        {visible.map((b) => (
          <option key={b.id} value={b.id}>
            {pickText(b.name, language)}
          </option>
        ))}
      </select>
    ) : (
      <span className="app-bar__context">{pickText(branch.name, language)}</span>
    );
  return <CallbackConsole key={branch.id} branch={branch} api={api} token={session?.accessToken ?? null} branchSwitch={branchSwitch} />;
}
