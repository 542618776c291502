import { useMemo, useState } from 'react';
import type { BranchDto, DeviceKind } from '@frontdesk/contracts';
import { ApiClient } from './api-client';
import { captureDeviceToken, loadSession } from './session-store';
import { useApiGet, type Resource } from './use-resource';

export interface DeviceBranch {
  /** Device token from the printed URL, else a signed-in staff member's token (testing a screen). */
  token: string | null;
  api: ApiClient;
  branch: Resource<BranchDto>;
}

/** Kiosk and wall screen: take the device token from the URL, then resolve the branch by its code. */
export function useDeviceBranch(kind: DeviceKind, branchCode: string): DeviceBranch {
  const [token] = useState(() => captureDeviceToken(kind) ?? loadSession()?.accessToken ?? null);
  const api = useMemo(() => new ApiClient(() => token), [token]);
  const branch = useApiGet<BranchDto>(api, token ? `/api/branches/by-code/${encodeURIComponent(branchCode)}` : null);
  return { token, api, branch };
}
