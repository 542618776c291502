import type { HotlineSettings } from '@frontdesk/contracts';
import { callStatus, queuedInstant, type CallRecord } from './calls';
import { countAgents, summarizeCalls, type AgentStateRecord } from './metrics';

export interface WantedAlert {
  dedupeKey: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  data: Record<string, unknown>;
}

/** Every hotline alert key starts with this, so the ones no longer wanted can be cleared. */
export const HOTLINE_ALERT_PREFIX = 'hotline:';

/**
 * The hotline alerts that should be open at `now` (DOMAIN.md): per queue, a caller waiting past the
 * service-level threshold; per call, a caller on hold past the hold limit; the service level of the last
 * window under target; calls waiting with no agent available.
 */
export function wantedHotlineAlerts(input: {
  calls: readonly CallRecord[];
  agents: readonly AgentStateRecord[];
  now: Date;
  settings: HotlineSettings;
}): WantedAlert[] {
  const { now, settings } = input;
  const wanted: WantedAlert[] = [];
  const waiting = input.calls
    .filter((c) => callStatus(c, settings).status === 'waiting')
    .map((c) => ({ c, wait: Math.max(0, Math.round((now.getTime() - queuedInstant(c).getTime()) / 1000)) }));
  const overThreshold = new Map<string, number>();
  for (const { c, wait } of waiting) {
    if (wait > settings.serviceLevelSeconds) overThreshold.set(c.queue, Math.max(overThreshold.get(c.queue) ?? 0, wait));
    if (wait > settings.holdAlertSeconds) {
      wanted.push({
        dedupeKey: `${HOTLINE_ALERT_PREFIX}hold:${c.callId}`,
        kind: 'hotline.long_hold',
        severity: 'critical',
        message: `a caller in queue ${c.queue} has waited more than ${settings.holdAlertSeconds} s`,
        data: { callId: c.callId, queue: c.queue, queuedAt: queuedInstant(c).toISOString(), limitSeconds: settings.holdAlertSeconds },
      });
    }
  }
  for (const [queue, wait] of overThreshold) {
    wanted.push({
      dedupeKey: `${HOTLINE_ALERT_PREFIX}wait:${queue}`,
      kind: 'hotline.wait_over_threshold',
      severity: 'warning',
      message: `queue ${queue}: a call has waited longer than ${settings.serviceLevelSeconds} s`,
      data: { queue, oldestWaitSeconds: wait, thresholdSeconds: settings.serviceLevelSeconds },
    });
  }
  const since = now.getTime() - settings.serviceLevelWindowMinutes * 60_000;
  const recent = input.calls.filter((c) => queuedInstant(c).getTime() >= since && queuedInstant(c).getTime() <= now.getTime());
  const window = summarizeCalls(recent, now, settings);
  if (window.serviceLevel !== null && window.serviceLevel * 100 < settings.serviceLevelTargetPercent) {
    wanted.push({
      dedupeKey: `${HOTLINE_ALERT_PREFIX}sl`,
      kind: 'hotline.sl_breach',
      severity: 'warning',
      message: `service level of the last ${settings.serviceLevelWindowMinutes} min is ${Math.round(window.serviceLevel * 100)} %, under the ${settings.serviceLevelTargetPercent} % target`,
      data: { serviceLevel: window.serviceLevel, target: settings.serviceLevelTargetPercent / 100, windowMinutes: settings.serviceLevelWindowMinutes },
    });
  }
  if (waiting.length > 0 && countAgents(input.agents, null).available === 0) {
    wanted.push({
      dedupeKey: `${HOTLINE_ALERT_PREFIX}no-agent`,
      kind: 'hotline.no_agent',
      severity: 'critical',
      message: `${waiting.length} call(s) waiting and no agent available`,
      data: { waiting: waiting.length },
    });
  }
  return wanted;
}
