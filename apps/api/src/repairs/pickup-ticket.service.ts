import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import type { IssuedTicketDto, PickupTicketRequest, Principal } from '@frontdesk/contracts';
import { normalizeOrderNo } from '@frontdesk/domain';
import { RepairRepository } from '@frontdesk/db';
import { assertBranchAccess } from '../auth/branch-access';
import { TicketService } from '../queue/ticket.service';
import { RepairService } from './repair.service';

/** One answer for an unknown order, another branch's order and a wrong code: the kiosk must not confirm that a number exists. */
function noMatch(): ForbiddenException {
  return new ForbiddenException({
    statusCode: 403,
    error: 'Forbidden',
    message: 'the order number and pickup code do not match an order ready at this branch',
    details: [{ path: 'pickupCode', message: 'order number or pickup code is wrong' }],
  });
}

// Unknown orders still cost one argon2 verification, so the answer time does not tell them apart from a wrong code.
let decoyHash: Promise<string> | undefined;

/**
 * The kiosk fast lane (issue 4): the order number and pickup code of the pickup SMS give a pickup (B) ticket linked to
 * the order. The code is checked by the repairs module's own check, so a wrong code here counts toward the same lock.
 */
@Injectable()
export class PickupTicketService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: RepairRepository,
    private readonly repairs: RepairService,
    private readonly tickets: TicketService,
  ) {}

  async issue(p: Principal, branchId: string, req: PickupTicketRequest): Promise<IssuedTicketDto> {
    assertBranchAccess(p, branchId);
    const orderNo = normalizeOrderNo(req.orderNo);
    const repair = await this.repo.findByOrderNo(this.ds.manager, branchId, orderNo);
    if (!repair) {
      decoyHash ??= argon2.hash('000000', { type: argon2.argon2id });
      await argon2.verify(await decoyHash, req.pickupCode);
      throw noMatch();
    }
    if (repair.pickupLockedAt) {
      // Only the holder of the right code learns that the order is locked; anyone else gets the same "no match".
      const hash = await this.repo.pickupCodeHash(this.ds.manager, repair.id);
      if (hash !== null && (await argon2.verify(hash, req.pickupCode))) throw this.repairs.lockedError(repair.orderNo);
      throw noMatch();
    }
    if (repair.status !== 'ready_for_pickup') {
      // A wrong code for an order that is not ready says nothing either (and is not counted: nothing can be collected).
      const hash = await this.repo.pickupCodeHash(this.ds.manager, repair.id);
      if (hash === null || !(await argon2.verify(hash, req.pickupCode))) throw noMatch();
      throw notReady(repair.orderNo, repair.status);
    }
    const check = await this.repairs.checkPickupCode(p, repair, req.pickupCode);
    if (check === 'locked') throw noMatch();
    if (check === 'wrong') throw noMatch();
    return this.tickets.issueForRepair(p, branchId, { id: repair.id, orderNo: repair.orderNo }, req.language ?? null, async (tx) => {
      const now = await this.repo.find(tx.em, repair.id, true);
      if (!now || now.pickupLockedAt) throw noMatch();
      if (now.status !== 'ready_for_pickup') throw notReady(now.orderNo, now.status);
    });
  }
}

function notReady(orderNo: string, status: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: `${orderNo} is ${status}: only a repair ready for pickup gets a pickup ticket`,
    currentState: status,
    allowed: ['ready_for_pickup'],
  });
}
