import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CounterStatus } from '@frontdesk/contracts';

@Entity('counters')
export class CounterEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'branch_id' }) branchId!: string;
  @Column('text') name!: string;
  @Column('uuid', { name: 'service_ids', array: true }) serviceIds!: string[];
  @Column('text') status!: CounterStatus;
  @Column('text', { name: 'pause_reason', nullable: true }) pauseReason!: string | null;
  @Column('uuid', { name: 'user_id', nullable: true }) userId!: string | null;
  @Column('uuid', { name: 'current_ticket_id', nullable: true }) currentTicketId!: string | null;
  @Column('integer') sort!: number;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
