import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Language, NotifySettings, QueueSettings } from '@frontdesk/contracts';

@Entity('branches')
export class BranchEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') code!: string;
  @Column('text', { name: 'name_zh' }) nameZh!: string;
  @Column('text', { name: 'name_en' }) nameEn!: string;
  @Column('text', { name: 'time_zone' }) timeZone!: string;
  @Column('text', { name: 'default_language' }) defaultLanguage!: Language;
  @Column('jsonb', { name: 'queue_settings' }) queueSettings!: Partial<QueueSettings>;
  @Column('jsonb', { name: 'notify_settings' }) notifySettings!: Partial<NotifySettings>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
