import { createSecretKey } from 'node:crypto';
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
      useFactory: (config: AppConfig) => {
        // A key object made once: given a string, jsonwebtoken first tries to parse it as a PEM public key on every
        // verify (and throws), which was 8% of the API's CPU under load.
        const key = createSecretKey(Buffer.from(config.JWT_SECRET));
        return { secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, TokenService, UserRepository, DeviceRepository],
  exports: [TokenService, DeviceRepository],
})
export class AuthModule {}
