import { Column, CreateDateColumn, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@frontdesk/contracts';
import { BranchEntity } from './branch.entity';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') username!: string;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('text', { name: 'password_hash', select: false }) passwordHash!: string;
  @Column('text') role!: Role;
  @Column('boolean') active!: boolean;
  @Column('integer', { name: 'failed_logins' }) failedLogins!: number;
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @ManyToMany(() => BranchEntity)
  @JoinTable({ name: 'user_branches', joinColumn: { name: 'user_id' }, inverseJoinColumn: { name: 'branch_id' } })
  branches!: BranchEntity[];
}
