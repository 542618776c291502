/** One AMI message: keys as sent, and the same keys lower-cased (older Asterisk and clients vary the case). */
export interface AmiMessage {
  fields: Record<string, string>;
  get(key: string): string | undefined;
}

function message(lines: string[]): AmiMessage {
  const fields: Record<string, string> = {};
  const lower = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    fields[key] = value;
    lower.set(key.toLowerCase(), value);
  }
  return { fields, get: (key) => lower.get(key.toLowerCase()) };
}

/**
 * The AMI wire framing: a one-line banner ("Asterisk Call Manager/5.0.2"), then blocks of "Key: Value" lines
 * ended by an empty line. Lines end in CRLF on the wire; a bare LF is accepted too. Chunks from the socket
 * may split a block anywhere.
 */
export class AmiFrameParser {
  private buffer = '';
  private lines: string[] = [];
  banner: string | null = null;

  feed(chunk: string | Buffer): AmiMessage[] {
    this.buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const out: AmiMessage[] = [];
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl < 0) break;
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      if (this.banner === null && this.lines.length === 0 && /^Asterisk Call Manager\//i.test(line)) {
        this.banner = line;
        continue;
      }
      if (line === '') {
        if (this.lines.length) out.push(message(this.lines));
        this.lines = [];
        continue;
      }
      this.lines.push(line);
    }
    return out;
  }
}

/** An action as AMI wants it: "Key: Value" lines and an empty line, CRLF. */
export function amiAction(fields: Record<string, string>): string {
  return `${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}
