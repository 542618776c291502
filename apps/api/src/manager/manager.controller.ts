import { Body, Controller, Get, Headers, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { BreakdownQuerySchema, KpiTargetsSchema, ReplayQuerySchema, SeriesQuerySchema, StaffingQuerySchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, MANAGERS } from '../auth/auth.decorators';
import { UuidPipe } from '../common/uuid.pipe';
import { ManagerService } from './manager.service';
import { toCsv } from './csv';

class SeriesQueryDto extends createZodDto(SeriesQuerySchema) {}
class BreakdownQueryDto extends createZodDto(BreakdownQuerySchema) {}
class ReplayQueryDto extends createZodDto(ReplayQuerySchema) {}
class StaffingQueryDto extends createZodDto(StaffingQuerySchema) {}
class KpiTargetsDto extends createZodDto(z.object({ targets: KpiTargetsSchema })) {}

const wantsCsv = (format: string | undefined, accept: string | undefined) => format === 'csv' || (format !== 'json' && (accept ?? '').includes('text/csv'));

@ApiTags('manager')
@ApiBearerAuth()
@Allow(...MANAGERS)
@Controller()
export class ManagerController {
  constructor(private readonly manager: ManagerService) {}

  @Get('branches/:branchId/kpis')
  @ApiOperation({ summary: 'Every manager tile for the current local day with its target and ok/warn/breach (DOMAIN.md definitions)' })
  kpis(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.manager.kpis(p, branchId);
  }

  @Get('manager/branches')
  @ApiOperation({ summary: 'The tiles of every branch the caller manages, for the all-branches comparison' })
  all(@CurrentPrincipal() p: Principal) {
    return this.manager.allBranches(p);
  }

  @Get('branches/:branchId/kpi-targets')
  @ApiOperation({ summary: "The branch's own KPI targets (keys absent use the defaults)" })
  targets(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.manager.targets(p, branchId);
  }

  @Put('branches/:branchId/kpi-targets')
  @ApiOperation({ summary: 'Set targets: {targets: {"lobby.wait.avg": 480, "hotline.sl": 0.85, "repairs.overdue": null}}; null restores the default' })
  updateTargets(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Body() body: KpiTargetsDto) {
    return this.manager.updateTargets(p, branchId, body.targets);
  }

  @Get('branches/:branchId/series')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'One metric in local-time buckets over a local range (default today); empty buckets are 0. CSV with Accept: text/csv or format=csv',
  })
  async series(
    @CurrentPrincipal() p: Principal,
    @Param('branchId', UuidPipe) branchId: string,
    @Query() q: SeriesQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const s = await this.manager.series(p, branchId, q);
    if (!wantsCsv(q.format, accept)) return s;
    res.header('content-type', 'text/csv; charset=utf-8');
    res.header('content-disposition', `attachment; filename="${s.metric}-${s.bucket}-${s.from.slice(0, 10)}.csv"`);
    return toCsv(
      ['t', s.metric],
      s.points.map((pt) => [pt.t, pt.value]),
    );
  }

  @Get('branches/:branchId/breakdown')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Bars over a local range: repairs.pipeline, repairs.turnaround, lobby.counter.throughput, hotline.agent.throughput; CSV as series' })
  async breakdown(
    @CurrentPrincipal() p: Principal,
    @Param('branchId', UuidPipe) branchId: string,
    @Query() q: BreakdownQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const b = await this.manager.breakdown(p, branchId, q);
    if (!wantsCsv(q.format, accept)) return b;
    res.header('content-type', 'text/csv; charset=utf-8');
    res.header('content-disposition', `attachment; filename="${b.kind}-${b.from.slice(0, 10)}.csv"`);
    return toCsv(
      ['label', b.kind],
      b.rows.map((r) => [r.label, r.value]),
    );
  }

  @Get('branches/:branchId/replay')
  @ApiOperation({ summary: 'Day replay: the lobby and hotline tiles and the lobby picture at a past local instant, rebuilt from the event log' })
  replay(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Query() q: ReplayQueryDto) {
    return this.manager.replay(p, branchId, q.at);
  }

  @Get('branches/:branchId/staffing')
  @ApiOperation({ summary: 'Counters per service and hotline agents needed for the next hour (M/M/c, Erlang C), with the arrival rate and handling time used' })
  staffing(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Query() _q: StaffingQueryDto) {
    return this.manager.staffing(p, branchId);
  }
}
