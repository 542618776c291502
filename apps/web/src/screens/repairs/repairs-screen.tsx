import { useTranslation } from 'react-i18next';
import { ScreenError, ScreenLoading, CenteredMessage } from '../../components/screen-state';
import { loadSession, useUserApi } from '../../lib/session-store';
import { BranchSwitch, useStaffBranch } from '../../lib/use-staff-branch';
import { RepairBoardView } from './repair-board';
import './repairs.css';

/** /repairs, for technicians and the front desk: the branch's repairs by state, live. */
export function RepairsScreen() {
  const { t } = useTranslation();
  const api = useUserApi();
  const session = loadSession();
  const { branches, visible, branch, choose } = useStaffBranch(api, 'frontdesk.repairsBranch');

  if (branches.error) return <ScreenError error={branches.error} onRetry={branches.reload} />;
  if (!branches.data) return <ScreenLoading />;
  if (!branch) return <CenteredMessage tone="warning" title={t('repairs.board.title')} message={t('counter.noBranches')} />;
  const branchSwitch = <BranchSwitch branch={branch} visible={visible} onChoose={choose} className="repairs-branch" />;
  return (
    <RepairBoardView key={branch.id} branch={branch} api={api} token={session?.accessToken ?? null} user={session?.user ?? null} branchSwitch={branchSwitch} />
  );
}
