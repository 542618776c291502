import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Principal } from '@frontdesk/contracts';

/**
 * Rate limits per device for device calls (a kiosk behind a shop's one public IP must not share its
 * budget with the customers' phones), and per client IP for everyone else.
 */
@Injectable()
export class DeviceOrIpThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = req.principal as Principal | null | undefined;
    if (principal?.kind === 'device') return `device:${principal.deviceId}`;
    return `ip:${String(req.ip)}`;
  }
}

/** A per-minute limit from the environment (validated in config.ts), read when the request is checked. */
export function envLimit(name: 'KIOSK_TICKETS_PER_MINUTE' | 'TRACK_REQUESTS_PER_MINUTE', fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
