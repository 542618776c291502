import type { I18nText, ServiceDto } from '@frontdesk/contracts';
import type { SnapshotService } from '../../lib/live-queue-state';

/** A service as the kiosk shows it: the catalogue entry plus live queue numbers when we have them. */
export interface KioskService {
  id: string;
  code: string;
  name: I18nText;
  open: boolean;
  waiting: number | null;
  estimatedWaitSeconds: number | null;
}

export function kioskServices(catalogue: ServiceDto[], live: SnapshotService[] | undefined): KioskService[] {
  const stats = new Map((live ?? []).map((s) => [s.serviceId, s]));
  return [...catalogue]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((service) => {
      const stat = stats.get(service.id);
      return {
        id: service.id,
        code: service.code,
        name: service.name,
        // The live snapshot knows about openings/closings sooner than our last fetch.
        open: stat ? stat.open : service.open,
        waiting: stat ? stat.waiting : null,
        estimatedWaitSeconds: stat ? stat.estimatedWaitSeconds : null,
      };
    });
}
