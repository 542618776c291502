import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto } from '@frontdesk/contracts';
import type { ApiClient } from './api-client';
import { useBranchDefaultLanguage, useLanguage } from './i18n';
import { pickText } from './i18n-text';
import { useApiGet, type Resource } from './use-resource';

function stored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * The branch a staff screen shows: the one chosen last on this device (kept under `storageKey`), else `preferred`
 * (an id or code, e.g. from the URL), else the first the user may see. The screen's language follows the branch's.
 */
export function useStaffBranch(api: ApiClient, storageKey: string, preferred?: string | null) {
  const branches: Resource<BranchDto[]> = useApiGet<BranchDto[]>(api, '/api/branches');
  const [branchId, setBranchId] = useState<string | null>(() => preferred ?? stored(storageKey));
  const visible = branches.data ?? [];
  const branch = visible.find((b) => b.id === branchId || b.code === branchId) ?? visible[0];
  useBranchDefaultLanguage(branch?.defaultLanguage);
  const choose = (id: string) => {
    try {
      window.localStorage.setItem(storageKey, id);
    } catch {
      // Next time the screen starts on the first branch.
    }
    setBranchId(id);
  };
  return { branches, visible, branch, choose };
}

/** A branch picker for the staff bar when the user has several branches, else the branch's name. */
export function BranchSwitch(props: { branch: BranchDto; visible: BranchDto[]; onChoose: (id: string) => void; className?: string }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  if (props.visible.length <= 1) return <span className="app-bar__context">{pickText(props.branch.name, language)}</span>;
  return (
    <select
      className={props.className ? `select ${props.className}` : 'select'}
      value={props.branch.id}
      onChange={(e) => props.onChoose(e.target.value)}
      aria-label={t('counter.chooseBranch')}
    >
      {props.visible.map((b) => (
        <option key={b.id} value={b.id}>
          {pickText(b.name, language)}
        </option>
      ))}
    </select>
  );
}
