import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PreviewSmsTemplateSchema, SmsTemplateParamsSchema, UpdateNotifySettingsSchema, UpdateSmsTemplateSchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, MANAGERS } from '../auth/auth.decorators';
import { UuidPipe } from '../common/uuid.pipe';
import { SmsTemplateService } from './sms-template.service';

class TemplateParamsDto extends createZodDto(SmsTemplateParamsSchema.extend({ branchId: z.uuid({ error: 'branchId must be a UUID' }) })) {}
class UpdateSmsTemplateDto extends createZodDto(UpdateSmsTemplateSchema) {}
class PreviewSmsTemplateDto extends createZodDto(PreviewSmsTemplateSchema) {}
class UpdateNotifySettingsDto extends createZodDto(UpdateNotifySettingsSchema) {}
class DevOutboxQueryDto extends createZodDto(z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) })) {}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('branches/:branchId')
export class SmsTemplateController {
  constructor(private readonly templates: SmsTemplateService) {}

  @Get('sms-templates')
  @Allow(...MANAGERS)
  @ApiOperation({ summary: 'The SMS texts of the branch, per template and language (the built-in text where not customized)' })
  list(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.templates.list(p, branchId);
  }

  @Put('sms-templates/:template/:language')
  @Allow(...MANAGERS)
  @ApiOperation({ summary: 'Replace one text; a placeholder the template does not offer is 400 naming body' })
  update(@CurrentPrincipal() p: Principal, @Param() params: TemplateParamsDto, @Body() body: UpdateSmsTemplateDto) {
    return this.templates.update(p, params.branchId, params.template, params.language, body.body);
  }

  @Delete('sms-templates/:template/:language')
  @Allow(...MANAGERS)
  @ApiOperation({ summary: 'Back to the built-in text' })
  reset(@CurrentPrincipal() p: Principal, @Param() params: TemplateParamsDto) {
    return this.templates.reset(p, params.branchId, params.template, params.language);
  }

  @Post('sms-templates/:template/:language/preview')
  @HttpCode(200)
  @Allow(...MANAGERS)
  @ApiOperation({ summary: 'The text as a customer would read it (sample order, the branch name and hours) and how many SMS it costs' })
  preview(@CurrentPrincipal() p: Principal, @Param() params: TemplateParamsDto, @Body() body: PreviewSmsTemplateDto) {
    return this.templates.preview(p, params.branchId, params.template, params.language, body.body);
  }

  @Get('notify-settings')
  @Allow(...MANAGERS)
  @ApiOperation({ summary: 'Quiet hours, reminder days and opening hours of the branch' })
  settings(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.templates.settings(p, branchId);
  }

  @Patch('notify-settings')
  @Allow(...MANAGERS)
  @ApiOperation({ summary: 'Change quiet hours (HH:mm), reminder days or opening hours' })
  updateSettings(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Body() body: UpdateNotifySettingsDto) {
    return this.templates.updateSettings(p, branchId, body);
  }

  @Get('dev-sms')
  @Allow(...MANAGERS)
  @ApiOperation({ summary: 'What the development SMS provider recorded instead of sending (SMS_PROVIDER=dev)' })
  devOutbox(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Query() q: DevOutboxQueryDto) {
    return this.templates.devOutbox(p, branchId, q.limit);
  }
}
