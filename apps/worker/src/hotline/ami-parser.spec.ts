import { AmiFrameParser, amiAction } from './ami-parser';
import { serverBytes } from './fixtures/replay';

describe('AMI framing', () => {
  it('reads the banner line, then blank-line-ended blocks, whatever the chunking', () => {
    const bytes = serverBytes('ami-login-handshake.txt');
    const parser = new AmiFrameParser();
    const messages = [];
    for (let i = 0; i < bytes.length; i += 7) messages.push(...parser.feed(bytes.slice(i, i + 7)));
    expect(parser.banner).toBe('Asterisk Call Manager/5.0.2');
    expect(messages[0].get('Response')).toBe('Success');
    expect(messages[1].get('event')).toBe('FullyBooted');
    expect(messages.filter((m) => m.get('Message') === 'Authentication failed')).toHaveLength(1);
  });

  it('keeps empty values and values with colons', () => {
    const [m] = new AmiFrameParser().feed('Event: X\r\nAccountCode: \r\nChannel: SIP/a:b\r\n\r\n');
    expect(m.fields).toEqual({ Event: 'X', AccountCode: '', Channel: 'SIP/a:b' });
  });

  it('writes actions as Key: Value lines ended by an empty line', () => {
    expect(amiAction({ Action: 'Login', Username: 'u' })).toBe('Action: Login\r\nUsername: u\r\n\r\n');
  });
});
