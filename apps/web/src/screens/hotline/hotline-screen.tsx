import { useTranslation } from 'react-i18next';
import { CenteredMessage, ScreenError, ScreenLoading } from '../../components/screen-state';
import { loadSession, useUserApi } from '../../lib/session-store';
import { BranchSwitch, useStaffBranch } from '../../lib/use-staff-branch';
import { HotlineConsole } from './hotline-console';
import './hotline.css';

/** /hotline, for agents and managers: one branch's hotline, live. */
export function HotlineScreen() {
  const { t } = useTranslation();
  const api = useUserApi();
  const session = loadSession();
  const { branches, visible, branch, choose } = useStaffBranch(api, 'frontdesk.hotlineBranch');

  if (branches.error) return <ScreenError error={branches.error} onRetry={branches.reload} />;
  if (!branches.data) return <ScreenLoading />;
  if (!branch) return <CenteredMessage tone="warning" title={t('hotline.title')} message={t('counter.noBranches')} />;
  const branchSwitch = <BranchSwitch branch={branch} visible={visible} onChoose={choose} />;
  return (
    <HotlineConsole
      key={branch.id}
      branch={branch}
      api={api}
      token={session?.accessToken ?? null}
      agentId={session?.user.username ?? null}
      branchSwitch={branchSwitch}
    />
  );
}
