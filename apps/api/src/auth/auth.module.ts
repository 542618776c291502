import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DeviceEntity, UserEntity } from '@frontdesk/db';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { DeviceRepository } from './device.repository';
import { TokenService } from './token.service';
import { UserRepository } from './user.repository';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, DeviceEntity]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.JWT_SECRET, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, TokenService, UserRepository, DeviceRepository],
  exports: [TokenService, DeviceRepository],
})
export class AuthModule {}
