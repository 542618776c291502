import { useTranslation } from 'react-i18next';
import { CenteredMessage, ScreenError, ScreenLoading } from '../../components/screen-state';
import { loadSession, useUserApi } from '../../lib/session-store';
import { BranchSwitch, useStaffBranch } from '../../lib/use-staff-branch';
import { CallbackConsole } from './callback-console';
import './callbacks.css';

/** /callbacks, for hotline agents, front desk and managers: one branch's callbacks, live. */
export function CallbacksScreen() {
  const { t } = useTranslation();
  const api = useUserApi();
  const session = loadSession();
  const { branches, visible, branch, choose } = useStaffBranch(api, 'frontdesk.callbacksBranch');

  if (branches.error) return <ScreenError error={branches.error} onRetry={branches.reload} />;
  if (!branches.data) return <ScreenLoading />;
  if (!branch) return <CenteredMessage tone="warning" title={t('callbacksConsole.title')} message={t('counter.noBranches')} />;
  const branchSwitch = <BranchSwitch branch={branch} visible={visible} onChoose={choose} />;
  return <CallbackConsole key={branch.id} branch={branch} api={api} token={session?.accessToken ?? null} branchSwitch={branchSwitch} />;
}
