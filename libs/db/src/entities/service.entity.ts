import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('services')
export class ServiceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'branch_id' }) branchId!: string;
  @Column('text') code!: string;
  @Column('text', { name: 'name_zh' }) nameZh!: string;
  @Column('text', { name: 'name_en' }) nameEn!: string;
  @Column('boolean') open!: boolean;
  @Column('integer', { name: 'default_service_seconds' }) defaultServiceSeconds!: number;
  @Column('integer') sort!: number;
}
