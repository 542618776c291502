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

type LimitName = 'KIOSK_TICKETS_PER_MINUTE' | 'TRACK_REQUESTS_PER_MINUTE' | 'HOTLINE_REQUESTS_PER_MINUTE';

/** The limits of the validated configuration the app was created with (createApp). */
let configured: Partial<Record<LimitName, number>> = {};

export function setRateLimits(limits: Record<LimitName, number>): void {
  configured = { ...limits };
}

/**
 * A per-minute limit, read when the request is checked: the process environment when it names one (validated in
 * config.ts; an operator or a test may change it while the API runs), else the app's configuration, else `fallback`.
 */
export function envLimit(name: LimitName, fallback: number): number {
  const v = Number(process.env[name]);
  if (Number.isInteger(v) && v > 0) return v;
  return configured[name] ?? fallback;
}
