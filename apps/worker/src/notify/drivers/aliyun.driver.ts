import { createHmac, randomUUID } from 'node:crypto';
import type { NotificationTemplate } from '@frontdesk/contracts';
import { fetchWithTimeout, isRetryableStatus, SmsProviderError, type SmsDriver, type SmsMessage, type SmsReceipt } from './sms-driver';

export interface AliyunDriverOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Aliyun only sends pre-approved templates: one template code per notice template. */
  templateCodes: Partial<Record<NotificationTemplate, string>>;
  endpoint: string;
  regionId: string;
  timeoutMs: number;
}

/** RFC 3986 encoding as Aliyun's RPC signature wants it (space %20, * %2A, ~ kept). */
export function aliyunPercentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Aliyun RPC signature v1.0: HMAC-SHA1 over METHOD&%2F&encode(sorted, encoded query), key = secret + '&'. */
export function aliyunSignature(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k])}`)
    .join('&');
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

/** Codes that another try cannot fix (bad number, template, signature, account); others (throttling, system) are retried. */
const RETRYABLE_CODES = new Set(['isp.SYSTEM_ERROR', 'isv.BUSINESS_LIMIT_CONTROL', 'Throttling.User', 'Throttling', 'ServiceUnavailable', 'InternalError']);

/** Aliyun SMS (dysmsapi 2017-05-25 SendSms) with its request signing; OutId carries the idempotency key. */
export class AliyunSmsDriver implements SmsDriver {
  readonly name = 'aliyun';

  constructor(private readonly opts: AliyunDriverOptions) {}

  async send(m: SmsMessage): Promise<SmsReceipt> {
    const templateCode = this.opts.templateCodes[m.template];
    if (!templateCode) throw new SmsProviderError(`no Aliyun template code configured for ${m.template}`, true);
    const params: Record<string, string> = {
      AccessKeyId: this.opts.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      RegionId: this.opts.regionId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
      PhoneNumbers: m.to.replace(/^\+86/, ''),
      SignName: this.opts.signName,
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify(m.params),
      OutId: m.idempotencyKey,
    };
    params.Signature = aliyunSignature('POST', params, this.opts.accessKeySecret);
    const res = await fetchWithTimeout(
      this.opts.endpoint,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() },
      this.opts.timeoutMs,
    );
    const text = await res.text().catch(() => '');
    let body: { Code?: string; Message?: string; BizId?: string } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not JSON: judged by the HTTP status below.
    }
    if (res.ok && body.Code === 'OK') return { messageId: body.BizId ?? null };
    const code = body.Code ?? `HTTP ${res.status}`;
    const permanent = body.Code ? !RETRYABLE_CODES.has(body.Code) && !isRetryableStatus(res.status) : !isRetryableStatus(res.status);
    throw new SmsProviderError(`Aliyun ${code}: ${body.Message ?? text.slice(0, 200)}`, permanent);
  }
}
