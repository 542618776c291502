import type { DataSource } from 'typeorm';
import type { WorkerConfig } from '../../config';
import { AliyunSmsDriver } from './aliyun.driver';
import { DevSmsDriver } from './dev.driver';
import type { SmsDriver } from './sms-driver';
import { WebhookSmsDriver } from './webhook.driver';

/** The provider named by SMS_PROVIDER (config validation made sure its settings are there). */
export function createSmsDriver(config: WorkerConfig, ds: DataSource): SmsDriver {
  switch (config.SMS_PROVIDER) {
    case 'webhook':
      return new WebhookSmsDriver({ url: config.SMS_WEBHOOK_URL!, secret: config.SMS_WEBHOOK_SECRET!, timeoutMs: config.SMS_TIMEOUT_MS });
    case 'aliyun':
      return new AliyunSmsDriver({
        accessKeyId: config.ALIYUN_ACCESS_KEY_ID!,
        accessKeySecret: config.ALIYUN_ACCESS_KEY_SECRET!,
        signName: config.ALIYUN_SMS_SIGN_NAME!,
        templateCodes: JSON.parse(config.ALIYUN_SMS_TEMPLATE_CODES!) as Record<string, string>,
        endpoint: config.ALIYUN_SMS_ENDPOINT,
        regionId: config.ALIYUN_REGION_ID,
        timeoutMs: config.SMS_TIMEOUT_MS,
      });
    default:
      return new DevSmsDriver(ds, config.SMS_DEV_LATENCY_MS);
  }
}
