import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { isFinalRepairStatus, reminderDueTimes, sendableAt } from '@frontdesk/domain';
import { addNotification, BranchEntity, cancelRepairNotifications, notifySettings, type BranchTransaction, type RepairEntity } from '@frontdesk/db';
import type { RepairStatus } from '@frontdesk/contracts';

/**
 * The SMS notices a repair change causes, written in the change's own branch transaction (the outbox): a repair
 * ready for pickup (at once, or at the end of quiet hours) with reminders after the branch's reminder days, a
 * promised time moved later, and the cancellation of reminders once the phone is collected.
 */
@Injectable()
export class RepairNotices {
  async afterChange(tx: BranchTransaction, r: RepairEntity, before: { status: RepairStatus; promisedAt: number }): Promise<void> {
    if (r.status !== before.status && isFinalRepairStatus(r.status)) {
      await cancelRepairNotifications(tx, r.id, ['pickup_ready', 'pickup_reminder', 'promise_slipped'], `repair ${r.status}`);
      // The code is no longer needed by any notice.
      await tx.em.query(`UPDATE repairs SET sms_pickup_code = NULL WHERE id = $1`, [r.id]);
      return;
    }
    if (r.notify !== 'sms') return;
    const becameReady = r.status === 'ready_for_pickup' && before.status !== 'ready_for_pickup';
    const slipped = r.promisedAt.getTime() > before.promisedAt && !becameReady && r.status !== 'ready_for_pickup';
    if (!becameReady && !slipped) return;
    const branch = await tx.em.findOneByOrFail(BranchEntity, { id: r.branchId });
    const s = notifySettings(branch);
    const quiet = { start: s.quietStart, end: s.quietEnd };
    const base = { repairId: r.id, toPhone: r.customerPhone, language: branch.defaultLanguage };
    if (becameReady) {
      await addNotification(tx, { ...base, template: 'pickup_ready', params: { orderNo: r.orderNo }, dedupeKey: `repair:${r.id}:ready`, dueAt: sendableAt(tx.now, branch.timeZone, quiet) });
      for (const { day, dueAt } of reminderDueTimes(tx.now, branch.timeZone, s.reminderDays, quiet)) {
        await addNotification(tx, { ...base, template: 'pickup_reminder', params: { orderNo: r.orderNo, days: day }, dedupeKey: `repair:${r.id}:reminder:${day}`, dueAt });
      }
    }
    if (slipped) {
      // Once per change: the key names the new promise, so saving the same time again sends nothing.
      const promised = r.promisedAt.toISOString();
      const local = DateTime.fromJSDate(r.promisedAt, { zone: branch.timeZone });
      const promisedText = branch.defaultLanguage === 'zh' ? local.toFormat('M月d日 HH:mm') : local.setLocale('en').toFormat('d LLL HH:mm');
      await addNotification(tx, {
        ...base,
        template: 'promise_slipped',
        params: { orderNo: r.orderNo, promisedAt: promisedText },
        dedupeKey: `repair:${r.id}:promise:${promised}`,
        dueAt: sendableAt(tx.now, branch.timeZone, quiet),
      });
    }
  }
}
