import { formatPickupScan, parsePickupScan } from './pickup-scan';

describe('parsePickupScan', () => {
  it('reads the canonical QR payload', () => {
    expect(parsePickupScan(formatPickupScan('R20261125-0007', '048213'))).toEqual({ orderNo: 'R20261125-0007', pickupCode: '048213' });
  });

  it('reads the pickup SMS text in either language', () => {
    expect(parsePickupScan('您好，您的手机（单号 R20261125-0007）已修好，请凭取机码 048213 到测试取机。')).toEqual({ orderNo: 'R20261125-0007', pickupCode: '048213' });
    expect(parsePickupScan('Hello, your phone (order R20261125-0012) is repaired. ... with pickup code 123456. Opening hours 09:00-21:00.')).toEqual({
      orderNo: 'R20261125-0012',
      pickupCode: '123456',
    });
  });

  it('accepts lower case and no dash, and does not take the order digits for the code', () => {
    expect(parsePickupScan('r202611250007 000001')).toEqual({ orderNo: 'R20261125-0007', pickupCode: '000001' });
    expect(parsePickupScan('R20261125-0007')).toBeNull();
  });

  it('refuses text without an order number or without a code', () => {
    expect(parsePickupScan('123456')).toBeNull();
    expect(parsePickupScan('')).toBeNull();
  });
});
