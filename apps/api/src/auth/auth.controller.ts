import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { createZodDto } from 'nestjs-zod';
import { LoginRequestSchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, Public, STAFF } from './auth.decorators';
import { AuthService } from './auth.service';

class LoginDto extends createZodDto(LoginRequestSchema) {}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  @ApiOperation({ summary: 'Sign in with username and password; returns a bearer token (rate-limited, locks after repeated failures)' })
  login(@Body() body: LoginDto) {
    return this.auth.login(body);
  }

  @Get('me')
  @Allow(...STAFF, 'kiosk', 'display')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the bearer token belongs to (a user or a device)' })
  me(@CurrentPrincipal() principal: Principal) {
    return this.auth.me(principal);
  }
}
