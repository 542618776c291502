import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PaymentMethod, QuoteDecision, RepairNotify, RepairStatus, WarrantyStatus } from '@frontdesk/contracts';

/** A customer, one per E.164 phone number across branches (see the repairs migration for why). */
@Entity('customers')
export class CustomerEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') phone!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'alt_phone', nullable: true }) altPhone!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('repairs')
export class RepairEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'branch_id' }) branchId!: string;
  @Column('text', { name: 'order_no' }) orderNo!: string;
  @Column('date', { name: 'local_day' }) localDay!: string;
  @Column('integer', { name: 'day_seq' }) daySeq!: number;
  @Column('uuid', { name: 'customer_id' }) customerId!: string;
  /** Name and phone as given at this intake (the customer record keeps the latest). */
  @Column('text', { name: 'customer_name' }) customerName!: string;
  @Column('text', { name: 'customer_phone' }) customerPhone!: string;
  @Column('text', { name: 'alt_phone', nullable: true }) altPhone!: string | null;
  @Column('text') brand!: string;
  @Column('text') model!: string;
  @Column('text', { nullable: true }) imei!: string | null;
  @Column('text', { nullable: true }) serial!: string | null;
  /** imei:<digits> or serial:<SERIAL>: how a device is recognised again (repeat repairs). */
  @Column('text', { name: 'device_key' }) deviceKey!: string;
  @Column('text') fault!: string;
  @Column('text', { nullable: true }) condition!: string | null;
  @Column('jsonb') accessories!: string[];
  @Column('date', { name: 'purchase_date', nullable: true }) purchaseDate!: string | null;
  @Column('text', { name: 'warranty_status' }) warrantyStatus!: WarrantyStatus;
  @Column('text', { name: 'warranty_computed' }) warrantyComputed!: WarrantyStatus;
  @Column('text', { name: 'warranty_reason' }) warrantyReason!: string;
  @Column('text', { name: 'warranty_reason_zh' }) warrantyReasonZh!: string;
  @Column('text', { name: 'warranty_override_note', nullable: true }) warrantyOverrideNote!: string | null;
  @Column('text') notify!: RepairNotify;
  @Column('uuid', { name: 'ticket_id', nullable: true }) ticketId!: string | null;
  @Column('text') status!: RepairStatus;
  @Column('timestamptz', { name: 'promised_at' }) promisedAt!: Date;
  @Column('uuid', { name: 'repeat_of', nullable: true }) repeatOf!: string | null;
  @Column('uuid', { name: 'technician_id', nullable: true }) technicianId!: string | null;
  @Column('text', { name: 'diagnosis_note', nullable: true }) diagnosisNote!: string | null;
  @Column('text', { name: 'parts_note', nullable: true }) partsNote!: string | null;
  @Column('integer', { name: 'quote_amount', nullable: true }) quoteAmount!: number | null;
  @Column('text', { name: 'quote_currency', nullable: true }) quoteCurrency!: string | null;
  @Column('text', { name: 'quote_decision', nullable: true }) quoteDecision!: QuoteDecision | null;
  @Column('timestamptz', { name: 'quoted_at', nullable: true }) quotedAt!: Date | null;
  @Column('timestamptz', { name: 'quote_decided_at', nullable: true }) quoteDecidedAt!: Date | null;
  @Column('integer', { name: 'payment_amount', nullable: true }) paymentAmount!: number | null;
  @Column('text', { name: 'payment_currency', nullable: true }) paymentCurrency!: string | null;
  @Column('text', { name: 'payment_method', nullable: true }) paymentMethod!: PaymentMethod | null;
  @Column('timestamptz', { name: 'paid_at', nullable: true }) paidAt!: Date | null;
  /** argon2id of the pickup code; the code itself is shown once, on the slip. */
  @Column('text', { name: 'pickup_code_hash', select: false }) pickupCodeHash!: string;
  /** The pickup code kept for the pickup SMS while notify=sms and the repair is open; null otherwise. */
  @Column('text', { name: 'sms_pickup_code', nullable: true, select: false }) smsPickupCode!: string | null;
  @Column('integer', { name: 'pickup_failed_attempts' }) pickupFailedAttempts!: number;
  @Column('timestamptz', { name: 'pickup_locked_at', nullable: true }) pickupLockedAt!: Date | null;
  @Column('integer', { name: 'survey_score', nullable: true }) surveyScore!: number | null;
  @Column('text', { name: 'survey_comment', nullable: true }) surveyComment!: string | null;
  @Column('timestamptz', { name: 'survey_at', nullable: true }) surveyAt!: Date | null;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'ready_at', nullable: true }) readyAt!: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
}

/** Append-only (a trigger refuses updates): who, when, from, to, note. */
@Entity('repair_history')
export class RepairHistoryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'repair_id' }) repairId!: string;
  @Column('timestamptz') at!: Date;
  /** principalLabel: user:<id>:<username>, device:<id>:<name>, or system:<what>. */
  @Column('text') actor!: string;
  @Column('text') kind!: string;
  @Column('text', { name: 'from_value', nullable: true }) fromValue!: string | null;
  @Column('text', { name: 'to_value', nullable: true }) toValue!: string | null;
  @Column('text', { nullable: true }) note!: string | null;
}
