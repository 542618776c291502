import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { WorkerEnvSchema } from '../../config';
import { aliyunSignature, AliyunSmsDriver } from './aliyun.driver';
import { DevSmsDriver } from './dev.driver';
import { SmsProviderError, type SmsMessage } from './sms-driver';
import { webhookSignature, WebhookSmsDriver } from './webhook.driver';

/** A real HTTP server on loopback that answers each request with the next scripted behaviour. */
async function gateway(script: ((req: IncomingMessage, body: string, res: ServerResponse) => void)[]) {
  const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      (script[Math.min(seen.length - 1, script.length - 1)])(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, seen, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const msg: SmsMessage = {
  idempotencyKey: '0b8a3f6e-5d1c-4f7a-9a43-2f0c1e9d7b11',
  branchId: 'b1',
  to: '+8613800138000',
  body: '您好，您的手机（单号 R20261130-0001）已修好',
  template: 'pickup_ready',
  params: { orderNo: 'R20261130-0001', pickupCode: '123456' },
};
const json = (status: number, body: unknown) => (_req: IncomingMessage, _b: string, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('webhook SMS provider against a local HTTP server', () => {
  const SECRET = 'webhook-secret-0123456789';

  it('signs the body with the shared secret and sends the idempotency key; 2xx is sent with the gateway id', async () => {
    const gw = await gateway([json(202, { id: 'gw-77' })]);
    try {
      const receipt = await new WebhookSmsDriver({ url: gw.url, secret: SECRET, timeoutMs: 2000 }).send(msg);
      expect(receipt).toEqual({ messageId: 'gw-77' });
      const { headers, body } = gw.seen[0];
      expect(headers['idempotency-key']).toBe(msg.idempotencyKey);
      expect(headers['x-frontdesk-signature']).toBe(webhookSignature(SECRET, String(headers['x-frontdesk-timestamp']), body));
      expect(JSON.parse(body)).toEqual({ id: msg.idempotencyKey, to: msg.to, body: msg.body, template: 'pickup_ready', branchId: 'b1' });
    } finally {
      await gw.close();
    }
  });

  it('takes 500 and 429 for retryable and 400 for permanent, with the status in the error', async () => {
    const gw = await gateway([json(500, { error: 'down' }), json(429, {}), json(400, { error: 'bad number' })]);
    const d = new WebhookSmsDriver({ url: gw.url, secret: SECRET, timeoutMs: 2000 });
    try {
      await expect(d.send(msg)).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('500') });
      await expect(d.send(msg)).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('429') });
      await expect(d.send(msg)).rejects.toMatchObject({ permanent: true, message: expect.stringContaining('bad number') });
    } finally {
      await gw.close();
    }
  });

  it('gives up on a gateway that does not answer within the timeout, as a retryable error', async () => {
    const gw = await gateway([() => undefined]);
    try {
      const started = Date.now();
      const err = await new WebhookSmsDriver({ url: gw.url, secret: SECRET, timeoutMs: 300 }).send(msg).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmsProviderError);
      expect(err).toMatchObject({ permanent: false, message: 'no answer within 300 ms' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await gw.close();
    }
  });

  it('treats a refused connection as retryable', async () => {
    const gw = await gateway([json(200, {})]);
    await gw.close();
    await expect(new WebhookSmsDriver({ url: gw.url, secret: SECRET, timeoutMs: 500 }).send(msg)).rejects.toMatchObject({ permanent: false });
  });
});

describe('Aliyun SendSms provider', () => {
  it('computes the documented RPC signature (Aliyun SendSms example: testId/testSecret)', () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(aliyunSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  const driver = (url: string, timeoutMs = 2000) =>
    new AliyunSmsDriver({ accessKeyId: 'LTAI-test', accessKeySecret: 'secret-x', signName: '前台', templateCodes: { pickup_ready: 'SMS_100' }, endpoint: url, regionId: 'cn-hangzhou', timeoutMs });

  it('posts a signed SendSms form the server can verify, with OutId = idempotency key, and returns the BizId', async () => {
    const gw = await gateway([json(200, { Code: 'OK', Message: 'OK', BizId: '9006197469364984^0', RequestId: 'r1' })]);
    try {
      expect(await driver(gw.url).send(msg)).toEqual({ messageId: '9006197469364984^0' });
      const form = Object.fromEntries(new URLSearchParams(gw.seen[0].body));
      expect(form).toMatchObject({ Action: 'SendSms', PhoneNumbers: '13800138000', SignName: '前台', TemplateCode: 'SMS_100', OutId: msg.idempotencyKey });
      expect(JSON.parse(form.TemplateParam)).toEqual(msg.params);
      const { Signature, ...signed } = form;
      expect(Signature).toBe(aliyunSignature('POST', signed, 'secret-x'));
    } finally {
      await gw.close();
    }
  });

  it('retries throttling and server errors, not an invalid number or a template without a code', async () => {
    const gw = await gateway([
      json(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发流控' }),
      json(503, {}),
      json(200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' }),
    ]);
    try {
      await expect(driver(gw.url).send(msg)).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('BUSINESS_LIMIT_CONTROL') });
      await expect(driver(gw.url).send(msg)).rejects.toMatchObject({ permanent: false });
      await expect(driver(gw.url).send(msg)).rejects.toMatchObject({ permanent: true, message: expect.stringContaining('非法手机号') });
      await expect(driver(gw.url).send({ ...msg, template: 'lobby_near' })).rejects.toMatchObject({ permanent: true });
    } finally {
      await gw.close();
    }
  });
});

describe('dev SMS provider', () => {
  const ds = () => {
    const calls: { at: number; params: unknown[] }[] = [];
    const query = async (_sql: string, params: unknown[]) => (calls.push({ at: Date.now(), params }), (params[0] as string[]).map((k) => ({ idempotency_key: k, id: '7' })));
    return { calls, db: { query } as unknown as Pick<DataSource, 'query'> };
  };

  it('records at once by default, keyed by the idempotency key', async () => {
    const fake = ds();
    expect(await new DevSmsDriver(fake.db).send(msg)).toEqual({ messageId: 'dev-7' });
    expect(fake.calls[0].params[0]).toEqual([msg.idempotencyKey]);
  });

  it('waits SMS_DEV_LATENCY_MS before recording, as a gateway round trip would', async () => {
    const fake = ds();
    const started = Date.now();
    await new DevSmsDriver(fake.db, 60).send(msg);
    expect(fake.calls[0].at - started).toBeGreaterThanOrEqual(55);
  });

  it('validates SMS_DEV_LATENCY_MS: default 0, a non-negative whole number of ms', () => {
    const base = { DATABASE_URL: 'postgres://x@h/db', REDIS_URL: 'redis://h:6379' };
    expect(WorkerEnvSchema.parse(base).SMS_DEV_LATENCY_MS).toBe(0);
    expect(WorkerEnvSchema.parse({ ...base, SMS_DEV_LATENCY_MS: '50' }).SMS_DEV_LATENCY_MS).toBe(50);
    expect(WorkerEnvSchema.safeParse({ ...base, SMS_DEV_LATENCY_MS: '-1' }).success).toBe(false);
    expect(WorkerEnvSchema.safeParse({ ...base, SMS_DEV_LATENCY_MS: 'slow' }).success).toBe(false);
  });
});
