import { Injectable } from '@nestjs/common';
import { orderWaiting, sendableAt } from '@frontdesk/domain';
import { addNotification, notifySettings, type BranchQueue, type BranchTransaction } from '@frontdesk/db';

/** How many tickets ahead when the customer is told to come back to the lobby. */
export const LOBBY_NEAR_AHEAD = 2;

/**
 * The lobby's "almost your turn" SMS: after a call, a waiting ticket of that service with a phone number that
 * now has exactly two tickets ahead of it gets one notice (once per ticket), in the call's branch transaction.
 */
@Injectable()
export class LobbyNotices {
  async afterCall(tx: BranchTransaction, q: BranchQueue, serviceId: string): Promise<void> {
    const s = notifySettings(q.branch);
    if (!s.lobbyNearSms) return;
    // Only the ticket at position LOBBY_NEAR_AHEAD + 1 has exactly that many ahead: order the service once (this
    // runs under the branch lock on every call) rather than work out every waiting ticket's position.
    const t = orderWaiting(
      q.waiting().filter((w) => w.serviceId === serviceId),
      q.now,
      q.settings,
    )[LOBBY_NEAR_AHEAD];
    if (t?.phone) {
      await addNotification(tx, {
        ticketId: t.id,
        toPhone: t.phone,
        language: q.branch.defaultLanguage,
        template: 'lobby_near',
        params: { ticketNumber: t.number, ahead: LOBBY_NEAR_AHEAD },
        dedupeKey: `ticket:${t.id}:near`,
        // Inside opening hours a lobby is open; quiet hours still hold for a branch open late.
        dueAt: sendableAt(tx.now, q.branch.timeZone, { start: s.quietStart, end: s.quietEnd }),
      });
    }
  }
}
