import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserEntity } from '@frontdesk/db';

export type UserWithHash = UserEntity & { passwordHash: string };

@Injectable()
export class UserRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  findForLogin(username: string): Promise<UserWithHash | null> {
    return this.repo
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .leftJoinAndSelect('u.branches', 'b')
      .where('u.username = :username', { username })
      .getOne(); // passwordHash is selected explicitly above
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOne({ where: { id }, relations: { branches: true } });
  }

  async recordFailure(id: string, maxFailures: number, lockSeconds: number): Promise<void> {
    await this.repo.query(
      `UPDATE users SET
         failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END
       WHERE id = $1`,
      [id, maxFailures, lockSeconds],
    );
  }

  async recordSuccess(id: string): Promise<void> {
    await this.repo.update({ id }, { failedLogins: 0, lockedUntil: null });
  }
}
