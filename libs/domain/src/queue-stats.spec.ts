import { serviceQueueStats } from './queue-stats';

const now = new Date('2026-11-25T02:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe('service queue stats', () => {
  const services = [
    { id: 'A', defaultServiceSeconds: 600 },
    { id: 'B', defaultServiceSeconds: 180 },
  ];

  it('counts waiting tickets, the longest wait and the estimate for a new ticket per service', () => {
    const stats = serviceQueueStats({
      services,
      counters: [
        { status: 'open', serviceIds: ['A', 'B'] },
        { status: 'open', serviceIds: ['A'] },
        { status: 'paused', serviceIds: ['B'] },
      ],
      waiting: [
        { id: '1', serviceId: 'A', priority: 'normal', createdAt: ago(300) },
        { id: '2', serviceId: 'A', priority: 'normal', createdAt: ago(100) },
        { id: '3', serviceId: 'B', priority: 'normal', createdAt: ago(50) },
      ],
      recentDurations: new Map([['A', [400, 500]]]),
      now,
    });
    expect(stats).toEqual([
      // 2 ahead / 2 open counters × 450 s recent service time
      { serviceId: 'A', waiting: 2, longestWaitSeconds: 300, estimatedWaitSeconds: 450, openCounters: 2 },
      // 1 ahead / 1 open counter (the paused one does not count) × 180 s default
      { serviceId: 'B', waiting: 1, longestWaitSeconds: 50, estimatedWaitSeconds: 180, openCounters: 1 },
    ]);
  });

  it('shows zeros for an empty lobby and no estimate when every counter is closed', () => {
    const stats = serviceQueueStats({ services, counters: [{ status: 'closed', serviceIds: ['A'] }], waiting: [], recentDurations: new Map(), now });
    expect(stats[0]).toEqual({ serviceId: 'A', waiting: 0, longestWaitSeconds: 0, estimatedWaitSeconds: null, openCounters: 0 });
  });
});
