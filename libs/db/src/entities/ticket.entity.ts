import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Language, TicketPriority, TicketStatus } from '@frontdesk/contracts';

@Entity('tickets')
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'branch_id' }) branchId!: string;
  @Column('uuid', { name: 'service_id' }) serviceId!: string;
  @Column('date', { name: 'local_day' }) localDay!: string;
  @Column('integer', { name: 'day_seq' }) daySeq!: number;
  @Column('text') number!: string;
  @Column('text') priority!: TicketPriority;
  @Column('text') status!: TicketStatus;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('text', { nullable: true }) language!: Language | null;
  @Column('uuid', { name: 'counter_id', nullable: true }) counterId!: string | null;
  @Column('text', { name: 'call_reason', nullable: true }) callReason!: string | null;
  @Column('integer', { name: 'recall_count' }) recallCount!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'first_called_at', nullable: true }) firstCalledAt!: Date | null;
  @Column('timestamptz', { name: 'called_at', nullable: true }) calledAt!: Date | null;
  @Column('timestamptz', { name: 'serving_at', nullable: true }) servingAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('integer', { name: 'estimated_wait_seconds', nullable: true }) estimatedWaitSeconds!: number | null;
  @Column('integer', { name: 'wait_error_seconds', nullable: true }) waitErrorSeconds!: number | null;
  @Column('text', { name: 'issued_by' }) issuedBy!: string;
  /** The repair a kiosk fast-lane pickup ticket was taken for (order number + pickup code). */
  @Column('uuid', { name: 'repair_id', nullable: true }) repairId!: string | null;
}
