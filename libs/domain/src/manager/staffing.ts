/**
 * Queueing maths for staffing advice: M/M/c (Erlang C). The hotline and the lobby are both modelled as one
 * queue served by c identical servers with Poisson arrivals and exponential handling times; that is the
 * textbook model call centres staff by, and good enough to say "open one more counter".
 */

/** Probability that an arrival has to wait (Erlang C) with `servers` servers and `traffic` Erlangs (λ × AHT). */
export function erlangC(servers: number, traffic: number): number {
  if (traffic <= 0) return 0;
  if (servers <= traffic) return 1;
  // Erlang B by its stable recursion, then C from B: no factorials, no overflow for large c.
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (traffic * b) / (k + traffic * b);
  return (servers * b) / (servers - traffic * (1 - b));
}

/** Share of arrivals answered within `thresholdSeconds`. */
export function serviceLevelWith(servers: number, traffic: number, handleSeconds: number, thresholdSeconds: number): number {
  if (traffic <= 0) return 1;
  if (servers <= traffic) return 0;
  return 1 - erlangC(servers, traffic) * Math.exp((-(servers - traffic) * thresholdSeconds) / handleSeconds);
}

/** Average speed of answer (mean wait over all arrivals) in seconds; Infinity when the queue grows without end. */
export function averageWaitWith(servers: number, traffic: number, handleSeconds: number): number {
  if (traffic <= 0) return 0;
  if (servers <= traffic) return Number.POSITIVE_INFINITY;
  return (erlangC(servers, traffic) * handleSeconds) / (servers - traffic);
}

export interface StaffingInput {
  /** Arrivals per hour expected over the horizon. */
  arrivalsPerHour: number;
  /** Mean handling (service) time in seconds. */
  handleSeconds: number;
}

const MAX_SERVERS = 500;

/** Fewest servers whose service level within `thresholdSeconds` is at least `targetLevel` (0..1). */
export function serversForServiceLevel(input: StaffingInput & { thresholdSeconds: number; targetLevel: number }): number {
  const traffic = trafficOf(input);
  if (traffic === 0) return 0;
  for (let c = Math.max(1, Math.floor(traffic) + 1); c <= MAX_SERVERS; c++) {
    if (serviceLevelWith(c, traffic, input.handleSeconds, input.thresholdSeconds) >= input.targetLevel) return c;
  }
  return MAX_SERVERS;
}

/** Fewest servers whose average wait is at most `targetWaitSeconds`. */
export function serversForAverageWait(input: StaffingInput & { targetWaitSeconds: number }): number {
  const traffic = trafficOf(input);
  if (traffic === 0) return 0;
  for (let c = Math.max(1, Math.floor(traffic) + 1); c <= MAX_SERVERS; c++) {
    if (averageWaitWith(c, traffic, input.handleSeconds) <= input.targetWaitSeconds) return c;
  }
  return MAX_SERVERS;
}

/** Offered load in Erlangs. */
export function trafficOf(input: StaffingInput): number {
  if (!(input.arrivalsPerHour > 0) || !(input.handleSeconds > 0)) return 0;
  return (input.arrivalsPerHour / 3600) * input.handleSeconds;
}
