import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CreatedRepairDto, CreateRepairInput, Principal } from '@frontdesk/contracts';
import { decideWarranty, defaultPromisedAt, deviceKey, formatRepairOrderNo, localDay, REPEAT_REPAIR_DAYS } from '@frontdesk/domain';
import { BranchEntity, raiseAlert, RepairRepository, type RepairHistoryEntity } from '@frontdesk/db';
import { CustomerAuditService } from '../audit/customer-audit.service';
import { assertBranchAccess, principalLabel } from '../auth/branch-access';
import { badRequest, notFound } from '../common/http-errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { BranchTransactions } from '../live/branch-tx.service';
import { repairDto, repairSummary } from './repair-dto';

/** Intake at the counter: customer, device, warranty, repeat detection, order number and pickup code in one commit. */
@Injectable()
export class RepairIntakeService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: RepairRepository,
    private readonly txs: BranchTransactions,
    private readonly audit: CustomerAuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  statusUrl(orderNo: string): string {
    return `${this.config.PUBLIC_URL}/r/${encodeURIComponent(orderNo)}`;
  }

  async create(p: Principal, branchId: string, req: CreateRepairInput): Promise<CreatedRepairDto> {
    assertBranchAccess(p, branchId);
    const branch = await this.ds.manager.findOneBy(BranchEntity, { id: branchId });
    if (!branch) throw notFound('branch', branchId);
    // The schema refuses dates in the future anywhere on earth; this is the branch's own calendar.
    if (req.purchaseDate && req.purchaseDate > localDay(new Date(), branch.timeZone)) {
      throw badRequest('purchaseDate', 'purchase date is in the future');
    }
    if (req.promisedAt && new Date(req.promisedAt).getTime() < Date.now() - 60_000) {
      throw badRequest('promisedAt', 'promised time is in the past');
    }
    const key = deviceKey(req.device.imei, req.device.serial);
    if (!key) throw badRequest('device.imei', 'IMEI or serial number is required');
    // Hashing is slow on purpose; do it before taking the branch lock.
    const pickupCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const pickupCodeHash = await argon2.hash(pickupCode, { type: argon2.argon2id });
    const actor = principalLabel(p);

    return this.txs.run(branchId, actor, async (tx) => {
      const em = tx.em;
      if (req.ticketId && !(await this.repo.ticketOfBranch(em, req.ticketId, branchId))) {
        throw badRequest('ticketId', 'is not a ticket of this branch');
      }
      const customer = await this.repo.upsertCustomer(em, { phone: req.customer.phone, name: req.customer.name, altPhone: req.customer.altPhone ?? null, now: tx.now });
      // Intake creates or updates the customer record: audited in the same commit.
      await this.audit.record(p, { action: 'change', branchIds: [branchId], customerId: customer.id, phone: req.customer.phone, route: 'POST /api/branches/:branchId/repairs' }, em);
      const day = localDay(tx.now, branch.timeZone);
      const orderNo = formatRepairOrderNo(day, await this.repo.nextOrderSeq(em, branchId, day));
      const earlier = await this.repo.latestRepairOfDevice(em, key, new Date(tx.now.getTime() - REPEAT_REPAIR_DAYS * 86400_000));
      const computed = decideWarranty({ purchaseDate: req.purchaseDate, receivedAt: tx.now, timeZone: branch.timeZone, fault: req.fault, condition: req.condition });
      const override = req.warrantyOverride;

      const repair = await this.repo.insert(em, {
        branchId,
        orderNo,
        localDay: day,
        daySeq: Number(orderNo.slice(-4)),
        customerId: customer.id,
        customerName: req.customer.name,
        customerPhone: req.customer.phone,
        altPhone: req.customer.altPhone ?? null,
        brand: req.device.brand,
        model: req.device.model,
        imei: req.device.imei ?? null,
        serial: req.device.serial ?? null,
        deviceKey: key,
        fault: req.fault,
        condition: req.condition ?? null,
        accessories: req.accessories,
        purchaseDate: req.purchaseDate ?? null,
        warrantyStatus: override?.status ?? computed.status,
        warrantyComputed: computed.status,
        warrantyReason: computed.reason,
        warrantyReasonZh: computed.reasonZh,
        warrantyOverrideNote: override?.note ?? null,
        notify: req.notify,
        ticketId: req.ticketId ?? null,
        status: 'received',
        promisedAt: req.promisedAt ? new Date(req.promisedAt) : defaultPromisedAt(tx.now),
        repeatOf: earlier?.id ?? null,
        technicianId: null,
        pickupCodeHash,
        smsPickupCode: req.notify === 'sms' ? pickupCode : null,
        pickupFailedAttempts: 0,
        pickupLockedAt: null,
        createdBy: actor,
        createdAt: tx.now,
        updatedAt: tx.now,
      });

      const history: Partial<RepairHistoryEntity>[] = [{ repairId: repair.id, at: tx.now, actor, kind: 'created', fromValue: null, toValue: 'received', note: null }];
      if (override) {
        history.push({ repairId: repair.id, at: tx.now, actor, kind: 'warranty', fromValue: computed.status, toValue: override.status, note: override.note });
      }
      await this.repo.appendHistory(em, history);

      const links = await this.repo.links(em, [repair]);
      const summary = repairSummary(repair, links, tx.now);
      tx.record('repair.created', { repair: summary });
      if (earlier) {
        // DOMAIN.md: "repaired several times and still broken" is the classic complaint; the manager hears of it now.
        await raiseAlert(tx, {
          kind: 'repair.repeat',
          severity: 'warning',
          message: `${orderNo}: ${req.device.brand} ${req.device.model} is back within ${REPEAT_REPAIR_DAYS} days (earlier ${earlier.orderNo})`,
          data: { repairId: repair.id, orderNo, repeatOfId: earlier.id, repeatOfOrderNo: earlier.orderNo, fault: req.fault, device: `${req.device.brand} ${req.device.model}`, days: REPEAT_REPAIR_DAYS },
          dedupeKey: `repair.repeat:${repair.id}`,
        });
      }
      const dto = repairDto(repair, links, await this.repo.history(em, repair.id), tx.now);
      return { ...dto, pickupCode, statusUrl: this.statusUrl(orderNo) };
    });
  }
}
