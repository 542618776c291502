import { Controller, Get, Headers, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { envLimit } from '../common/device-throttler.guard';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '../common/http-input';
import { createZodDto } from 'nestjs-zod';
import { HotlineMetricsQuerySchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, Public, STAFF } from '../auth/auth.decorators';
import { UuidPipe } from '../common/uuid.pipe';
import { HotlineIngestService } from './hotline-ingest.service';
import { HotlineQueryService } from './hotline-query.service';

class HotlineMetricsQueryDto extends createZodDto(HotlineMetricsQuerySchema) {}

@ApiTags('hotline')
@Controller()
export class HotlineController {
  constructor(
    private readonly ingestion: HotlineIngestService,
    private readonly queries: HotlineQueryService,
  ) {}

  @Post('hotline/events')
  @Public()
  // Per client address, signed or not: a telephone system batches its events (up to 500 a request), so the default
  // 1,200 a minute is far past a real one, and a caller guessing signatures is held back.
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: { limit: () => envLimit('HOTLINE_REQUESTS_PER_MINUTE', 1200), ttl: 60_000 } })
  @HttpCode(202)
  @ApiHeader({ name: 'X-Timestamp', description: 'unix seconds; more than 5 minutes off is refused', required: true })
  @ApiHeader({ name: 'X-Signature', description: 'sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<raw body>" with the branch webhook secret>', required: true })
  @ApiOperation({
    summary: 'Events from the telephone system (signed). Body {branchId, events:[{id, type, callId, queue, at, agentId?, state?, callerNumber?}]}, at most 500 events',
    description: '202 {accepted, duplicates}; an event id seen before is a duplicate and changes nothing. 401 bad signature or timestamp, 400 malformed, 413 too large, 429 past HOTLINE_REQUESTS_PER_MINUTE from one address: nothing is stored.',
  })
  ingest(@Req() req: RawBodyRequest, @Headers('x-timestamp') timestamp?: string, @Headers('x-signature') signature?: string) {
    return this.ingestion.ingest({ body: req.body, rawBody: req.rawBody, timestamp, signature });
  }

  @Get('branches/:branchId/hotline')
  @ApiBearerAuth()
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Hotline numbers of the current local day for the branch or one queue (DOMAIN.md definitions)' })
  metrics(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Query() q: HotlineMetricsQueryDto) {
    return this.queries.metrics(p, branchId, q.queue ?? null);
  }

  @Get('branches/:branchId/hotline/board')
  @ApiBearerAuth()
  @Allow(...STAFF)
  @ApiOperation({ summary: 'The hotline console: numbers per queue, waiting and active calls (full caller numbers), agents; showing a caller number leaves a customer audit entry' })
  board(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.queries.board(p, branchId);
  }
}
