import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../config/config';
import type { DeviceRepository } from './device.repository';
import { TokenService } from './token.service';

describe('user tokens remembered after their first verification', () => {
  const jwt = new JwtService({ secret: 'a-test-secret-of-at-least-32-characters!', signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
  const tokens = () => new TokenService(jwt, {} as DeviceRepository, { JWT_TTL_SECONDS: 60 } as AppConfig);
  const user = { id: 'u1', username: 'desk', role: 'frontdesk' as const, branchIds: ['b1'] };

  afterEach(() => jest.useRealTimers());

  it('answers a remembered token like a verified one, with a principal of its own each time', async () => {
    const service = tokens();
    const { token } = service.signUser(user);
    const first = await service.resolve(token);
    const second = await service.resolve(token);
    expect(second).toEqual({ kind: 'user', userId: 'u1', username: 'desk', role: 'frontdesk', branchIds: ['b1'] });
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    (first as { branchIds: string[] }).branchIds.push('b2');
    expect(await service.resolve(token)).toMatchObject({ branchIds: ['b1'] });
  });

  it('refuses a remembered token from the second it expires, as jsonwebtoken does', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00.000Z') });
    const service = tokens();
    const { token } = service.signUser(user);
    expect(await service.resolve(token)).not.toBeNull();
    jest.setSystemTime(new Date('2026-01-01T00:00:59.999Z'));
    expect(await service.resolve(token)).not.toBeNull();
    jest.setSystemTime(new Date('2026-01-01T00:01:00.000Z'));
    expect(await service.resolve(token)).toBeNull();
    expect(() => jwt.verify(token)).toThrow(/expired/);
  });

  it('still refuses a token whose claims or signature were edited', async () => {
    const service = tokens();
    const { token } = service.signUser(user);
    expect(await service.resolve(token)).not.toBeNull();
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const edited = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
    expect(await service.resolve(edited)).toBeNull();
    expect(await service.resolve(`${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`)).toBeNull();
  });
});
