import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto } from '@frontdesk/contracts';
import { ScreenError, ScreenLoading } from '../../components/screen-state';
import { StaffBar } from '../../components/staff-bar';
import { useBranchDefaultLanguage, useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import { loadSession, useUserApi } from '../../lib/session-store';
import { useApiGet } from '../../lib/use-resource';
import { AuditPanel } from './audit-panel';
import { DevicesPanel } from './devices-panel';
import { QueueSettingsForm } from './queue-settings-form';
import { SmsPanel } from './sms-panel';
import './admin.css';

const BRANCH_KEY = 'frontdesk.adminBranch';

/** Manager / admin: devices of the branch and its queue rules; for admins also the customer audit log. */
export function AdminScreen() {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const api = useUserApi();
  const user = loadSession()?.user;
  const branches = useApiGet<BranchDto[]>(api, '/api/branches');
  const [branchId, setBranchId] = useState<string | null>(() => window.localStorage.getItem(BRANCH_KEY));

  const visible = (branches.data ?? []).filter((b) => !user || user.branchIds.length === 0 || user.branchIds.includes(b.id));
  const branch = visible.find((b) => b.id === branchId) ?? visible[0];
  useBranchDefaultLanguage(branch?.defaultLanguage);

  const pickBranch = (id: string) => {
    window.localStorage.setItem(BRANCH_KEY, id);
    setBranchId(id);
  };

  if (branches.error) {
    return <ScreenError error={branches.error} onRetry={branches.reload} />;
  }
  if (!branches.data) {
    return <ScreenLoading />;
  }

  return (
    <div className="admin">
      <StaffBar title={t('admin.title')}>
        {visible.length > 1 ? (
          <select className="select admin__branch-select" value={branch?.id ?? ''} onChange={(e) => pickBranch(e.target.value)} aria-label={t('admin.branch')}>
            {visible.map((b) => (
              <option key={b.id} value={b.id}>
                {pickText(b.name, language)} ({b.code})
              </option>
            ))}
          </select>
        ) : (
          branch && <span className="app-bar__context">{pickText(branch.name, language)}</span>
        )}
      </StaffBar>
      {!branch ? (
        <main className="admin__main">
          <p>{t('admin.noBranch')}</p>
        </main>
      ) : (
        <main className="admin__main" key={branch.id}>
          <div className="admin__intro">
            <div>
              <h1>{pickText(branch.name, language)}</h1>
              <p>{t('admin.branchMeta', { code: branch.code, timeZone: branch.timeZone })}</p>
            </div>
            <nav className="admin__links">
              <a className="fd-btn fd-btn--secondary fd-btn--sm" href={`/display/${branch.code}`} target="_blank" rel="noreferrer">
                {t('admin.openDisplay')}
              </a>
              <a className="fd-btn fd-btn--secondary fd-btn--sm" href={`/kiosk/${branch.code}`} target="_blank" rel="noreferrer">
                {t('admin.openKiosk')}
              </a>
              {user?.role === 'admin' && (
                <button
                  type="button"
                  className="fd-btn fd-btn--secondary fd-btn--sm"
                  onClick={() => {
                    // The board is a separate page: open the window now (a popup must follow the click), point it once the cookie is set.
                    const board = window.open('about:blank', '_blank');
                    void api.post('/api/admin/queue-board/session').then(
                      () => board && (board.location.href = '/api/admin/queues'),
                      () => board?.close(),
                    );
                  }}
                >
                  {t('admin.queueBoard')} ↗
                </button>
              )}
              <a className="fd-btn fd-btn--ghost fd-btn--sm" href="/api/docs" target="_blank" rel="noreferrer">
                {t('admin.apiDocs')} ↗
              </a>
            </nav>
          </div>
          <div className="admin__grid">
            <DevicesPanel api={api} branch={branch} />
            <QueueSettingsForm api={api} branchId={branch.id} />
            {user?.role === 'admin' && <AuditPanel api={api} branch={branch} />}
            <SmsPanel api={api} branchId={branch.id} timeZone={branch.timeZone} />
          </div>
        </main>
      )}
    </div>
  );
}
