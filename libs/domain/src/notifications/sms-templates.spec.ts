import { DEFAULT_SMS_TEMPLATES, renderSms, smsSegments, SMS_TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from './sms-templates';

describe('SMS templates', () => {
  it('renders the Chinese pickup notice with order number, pickup code, branch and hours', () => {
    const text = renderSms(DEFAULT_SMS_TEMPLATES.pickup_ready.zh, { orderNo: 'R20261130-0007', pickupCode: '042517', branchName: '徐家汇店', openingHours: '09:00-21:00' });
    expect(text).toBe('您好，您的手机（单号 R20261130-0007）已修好，请凭取机码 042517 到徐家汇店取机。营业时间 09:00-21:00。');
  });

  it('leaves a missing value visible instead of dropping it', () => {
    expect(renderSms('code {pickupCode} for {orderNo}', { orderNo: 'R1' })).toBe('code {pickupCode} for R1');
  });

  it('names placeholders a template does not offer', () => {
    expect(unknownPlaceholders('pickup_ready', '单号 {ordreNo} 取机码 {pickupCode}')).toEqual(['ordreNo']);
    expect(unknownPlaceholders('promise_slipped', DEFAULT_SMS_TEMPLATES.promise_slipped.en)).toEqual([]);
  });

  it('every default uses only its own placeholders, in both languages', () => {
    for (const [name, texts] of Object.entries(DEFAULT_SMS_TEMPLATES)) {
      for (const body of Object.values(texts)) expect(unknownPlaceholders(name as keyof typeof SMS_TEMPLATE_PLACEHOLDERS, body)).toEqual([]);
    }
  });
});

describe('SMS length', () => {
  it('counts Chinese text in 70-character messages and 67-character parts', () => {
    expect(smsSegments('好'.repeat(70))).toEqual({ characters: 70, encoding: 'ucs2', segments: 1 });
    expect(smsSegments('好'.repeat(71))).toEqual({ characters: 71, encoding: 'ucs2', segments: 2 });
    expect(smsSegments('Hello')).toEqual({ characters: 5, encoding: 'gsm7', segments: 1 });
    expect(smsSegments('a'.repeat(161)).segments).toBe(2);
    // One Chinese character turns an English text into UCS-2.
    expect(smsSegments(`${'a'.repeat(100)}店`)).toMatchObject({ encoding: 'ucs2', segments: 2 });
  });
});
