import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Allow } from '../auth/auth.decorators';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_PATH } from './queue-board';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin/queue-board')
export class QueueBoardController {
  @Post('session')
  @HttpCode(204)
  @Allow('admin')
  @ApiOperation({ summary: `Lets this browser open Bull Board at ${QUEUE_BOARD_PATH} (an HttpOnly cookie with the admin's token, for that path only)` })
  session(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.cookie(QUEUE_BOARD_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: QUEUE_BOARD_PATH, secure: req.secure, maxAge: 8 * 3600_000 });
  }
}
