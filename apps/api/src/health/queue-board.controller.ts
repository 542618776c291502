import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { serialize } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
  session(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): void {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const maxAge = 8 * 3600;
    res.header(
      'set-cookie',
      serialize(QUEUE_BOARD_COOKIE, token, {
        maxAge,
        expires: new Date(Date.now() + maxAge * 1000),
        path: QUEUE_BOARD_PATH,
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
      }),
    );
  }
}
