import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  NOTIFICATION_TEMPLATES,
  NotifySettingsSchema,
  type DevSmsDto,
  type Language,
  type NotificationTemplate,
  type NotifySettings,
  type Principal,
  type SmsPreviewDto,
  type SmsTemplateDto,
  type UpdateNotifySettingsRequest,
} from '@frontdesk/contracts';
import { DEFAULT_SMS_TEMPLATES, maskPhone, renderSms, smsSegments, SMS_TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from '@frontdesk/domain';
import { BranchEntity, notifySettings } from '@frontdesk/db';
import { assertBranchAccess, principalLabel } from '../auth/branch-access';
import { badRequest, notFound } from '../common/http-errors';

/** Values a preview fills in: the branch's own name and hours, made-up order data. */
const SAMPLE = { orderNo: 'R20261201-0007', pickupCode: '042517', promisedAt: '12月3日 18:00', days: 3, ticketNumber: 'A012', ahead: 2 };
const SAMPLE_EN = { ...SAMPLE, promisedAt: '3 Dec 18:00' };

/** The manager's SMS texts per branch and language, their preview, the notice settings and the dev provider's outbox. */
@Injectable()
export class SmsTemplateService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async list(p: Principal, branchId: string): Promise<SmsTemplateDto[]> {
    await this.branch(p, branchId);
    const rows: { template: NotificationTemplate; language: Language; body: string }[] = await this.ds.query(
      `SELECT template, language, body FROM sms_templates WHERE branch_id = $1`,
      [branchId],
    );
    const custom = new Map(rows.map((r) => [`${r.template}:${r.language}`, r.body]));
    return NOTIFICATION_TEMPLATES.flatMap((template) =>
      (['zh', 'en'] as const).map((language) => {
        const own = custom.get(`${template}:${language}`);
        return { template, language, body: own ?? DEFAULT_SMS_TEMPLATES[template][language], customized: own !== undefined, placeholders: [...SMS_TEMPLATE_PLACEHOLDERS[template]] };
      }),
    );
  }

  async update(p: Principal, branchId: string, template: NotificationTemplate, language: Language, body: string): Promise<SmsTemplateDto> {
    await this.branch(p, branchId);
    this.assertPlaceholders(template, body);
    await this.ds.query(
      `INSERT INTO sms_templates (branch_id, template, language, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (branch_id, template, language) DO UPDATE SET body = EXCLUDED.body, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [branchId, template, language, body, principalLabel(p)],
    );
    return { template, language, body, customized: true, placeholders: [...SMS_TEMPLATE_PLACEHOLDERS[template]] };
  }

  /** Back to the built-in text. */
  async reset(p: Principal, branchId: string, template: NotificationTemplate, language: Language): Promise<SmsTemplateDto> {
    await this.branch(p, branchId);
    await this.ds.query(`DELETE FROM sms_templates WHERE branch_id = $1 AND template = $2 AND language = $3`, [branchId, template, language]);
    return { template, language, body: DEFAULT_SMS_TEMPLATES[template][language], customized: false, placeholders: [...SMS_TEMPLATE_PLACEHOLDERS[template]] };
  }

  async preview(p: Principal, branchId: string, template: NotificationTemplate, language: Language, draft?: string): Promise<SmsPreviewDto> {
    const b = await this.branch(p, branchId);
    let body = draft;
    if (body === undefined) body = (await this.list(p, branchId)).find((t) => t.template === template && t.language === language)!.body;
    else this.assertPlaceholders(template, body);
    const text = renderSms(body, {
      ...(language === 'zh' ? SAMPLE : SAMPLE_EN),
      branchName: language === 'zh' ? b.nameZh : b.nameEn,
      openingHours: notifySettings(b).openingHours,
    });
    return { text, ...smsSegments(text) };
  }

  async settings(p: Principal, branchId: string): Promise<NotifySettings> {
    return notifySettings(await this.branch(p, branchId));
  }

  async updateSettings(p: Principal, branchId: string, patch: UpdateNotifySettingsRequest): Promise<NotifySettings> {
    const b = await this.branch(p, branchId);
    const next = NotifySettingsSchema.parse({ ...notifySettings(b), ...patch });
    await this.ds.query(`UPDATE branches SET notify_settings = $2::jsonb WHERE id = $1`, [branchId, JSON.stringify(next)]);
    return next;
  }

  /** The development provider's record: what phones would have received (numbers masked). */
  async devOutbox(p: Principal, branchId: string, limit: number): Promise<DevSmsDto[]> {
    await this.branch(p, branchId);
    const rows: { id: string; idempotency_key: string; to_phone: string; body: string; created_at: Date }[] = await this.ds.query(
      `SELECT id, idempotency_key, to_phone, body, created_at FROM dev_sms_messages WHERE branch_id = $1 ORDER BY id DESC LIMIT $2`,
      [branchId, limit],
    );
    return rows.map((r) => ({ id: String(r.id), idempotencyKey: r.idempotency_key, to: maskPhone(r.to_phone) ?? '', body: r.body, createdAt: r.created_at.toISOString() }));
  }

  private assertPlaceholders(template: NotificationTemplate, body: string): void {
    const unknown = unknownPlaceholders(template, body);
    if (unknown.length) {
      throw badRequest('body', `unknown placeholder(s) ${unknown.map((u) => `{${u}}`).join(', ')}; ${template} offers ${SMS_TEMPLATE_PLACEHOLDERS[template].map((u) => `{${u}}`).join(', ')}`);
    }
  }

  private async branch(p: Principal, branchId: string): Promise<BranchEntity> {
    assertBranchAccess(p, branchId);
    const b = await this.ds.manager.findOneBy(BranchEntity, { id: branchId });
    if (!b) throw notFound('branch', branchId);
    return b;
  }
}
