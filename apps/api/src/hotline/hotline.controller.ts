import { Controller, Get, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
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
  @HttpCode(202)
  @ApiHeader({ name: 'X-Timestamp', description: 'unix seconds; more than 5 minutes off is refused', required: true })
  @ApiHeader({ name: 'X-Signature', description: 'sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<raw body>" with the branch webhook secret>', required: true })
  @ApiOperation({
    summary: 'Events from the telephone system (signed). Body {branchId, events:[{id, type, callId, queue, at, agentId?, state?, callerNumber?}]}, at most 500 events',
    description: '202 {accepted, duplicates}; an event id seen before is a duplicate and changes nothing. 401 bad signature or timestamp, 400 malformed, 413 too large: nothing is stored.',
  })
  ingest(@Req() req: RawBodyRequest<Request>, @Headers('x-timestamp') timestamp?: string, @Headers('x-signature') signature?: string) {
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
