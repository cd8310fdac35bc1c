/** Parses the resize channel: a sequence of JSON objects `{"Width":w,"Height":h}`. */

/** Accumulates bytes and reports every complete size object. */
export class ResizeParser {
  private buf = '';

  constructor(private readonly onSize: (cols: number, rows: number) => void) {}

  /** Adds bytes; calls the listener for each complete object. */
  push(chunk: Buffer): void {
    this.buf += chunk.toString('utf8');
    for (let end = this.buf.indexOf('}'); end >= 0; end = this.buf.indexOf('}')) {
      const text = this.buf.slice(0, end + 1);
      this.buf = this.buf.slice(end + 1);
      try {
        const v = JSON.parse(text.slice(Math.max(0, text.indexOf('{')))) as { Width?: unknown; Height?: unknown };
        if (typeof v.Width === 'number' && typeof v.Height === 'number') this.onSize(v.Width, v.Height);
      } catch { /* ignore a malformed size */ }
    }
    if (this.buf.length > 4096) this.buf = '';
  }
}
