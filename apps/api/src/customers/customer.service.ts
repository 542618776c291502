import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CustomerDto, Principal } from '@frontdesk/contracts';
import { phoneVariants } from '@frontdesk/domain';
import { RepairRepository } from '@frontdesk/db';
import { CustomerAuditService } from '../audit/customer-audit.service';
import { assertBranchAccess } from '../auth/branch-access';

/**
 * One customer per phone number. A caller sees only what their own branches know: repairs and tickets of those
 * branches, and the customer at all only when one of them has met the number.
 */
@Injectable()
export class CustomerService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: RepairRepository,
    private readonly audit: CustomerAuditService,
  ) {}

  async byPhone(p: Principal, phone: string, branchId?: string): Promise<CustomerDto> {
    if (branchId) assertBranchAccess(p, branchId);
    const branches = branchId ? [branchId] : p.kind === 'user' && p.role !== 'admin' ? p.branchIds : p.kind === 'device' ? [p.branchId] : null;
    const em = this.ds.manager;
    const customer = await this.repo.customerByPhone(em, phone);
    const repairs = customer ? await this.repo.repairsOfCustomer(em, customer.id, branches) : [];
    const tickets = await this.repo.ticketsByPhone(em, phoneVariants(phone), branches);
    // A customer only other branches have met is as unknown here as one nobody has met.
    const known = repairs.length > 0 || tickets.length > 0 || (customer !== null && branches === null);
    if (!known) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'no customer with this phone number' });
    await this.audit.record(p, {
      action: 'view',
      branchIds: [...repairs.map((r) => r.branchId), ...tickets.map((t) => t.branch_id)],
      customerId: customer?.id ?? null,
      phone,
      route: 'GET /api/customers/by-phone',
    });
    return {
      id: customer?.id ?? '',
      name: customer && repairs.length ? repairs[0].customerName : (customer?.name ?? ''),
      phone,
      altPhone: customer && repairs.length ? repairs[0].altPhone : null,
      createdAt: (customer?.createdAt ?? tickets[tickets.length - 1]?.created_at ?? new Date()).toISOString(),
      repairs: repairs.map((r) => ({
        id: r.id,
        orderNo: r.orderNo,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
        branchId: r.branchId,
        device: { brand: r.brand, model: r.model },
        fault: r.fault,
      })),
      tickets: tickets.map((t) => ({ id: t.id, branchId: t.branch_id, number: t.number, status: t.status, createdAt: t.created_at.toISOString() })),
    };
  }
}
