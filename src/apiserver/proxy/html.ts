/**
 * Link rewriting in proxied HTML, as kube-apiserver's proxy transport does for `text/html` answers
 * (k8s.io/apimachinery pkg/util/proxy/transport.go: the URL attributes of its atomsToAttrs table go
 * through the same rewrite as `Location`). Streaming: text passes as it comes; only one tag at a
 * time is held (at most MAX_TAG bytes, beyond which it passes unchanged); comments and the contents
 * of script, style, textarea, title and the other raw-text elements are never read as tags. Bytes are handled as latin1, so any
 * encoding outside the ASCII markup passes through unchanged.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** The URL attributes rewritten, by element (upstream's atomsToAttrs). */
const URL_ATTRS: Record<string, readonly string[]> = {
  a: ['href'], applet: ['codebase'], area: ['href'], audio: ['src'], base: ['href'], blockquote: ['cite'],
  body: ['background'], button: ['formaction'], command: ['icon'], del: ['cite'], embed: ['src'], form: ['action'],
  frame: ['longdesc', 'src'], head: ['profile'], html: ['manifest'], iframe: ['longdesc', 'src'], img: ['longdesc', 'src', 'usemap'],
  input: ['src', 'usemap', 'formaction'], ins: ['cite'], link: ['href'], object: ['classid', 'codebase', 'data', 'usemap'],
  q: ['cite'], script: ['src'], source: ['src'], video: ['poster', 'src'],
};
/** Elements whose content is text, never tags (the raw-text tags of Go's html tokenizer). */
const RAW_TEXT = new Set(['iframe', 'noembed', 'noframes', 'noscript', 'plaintext', 'script', 'style', 'textarea', 'title', 'xmp']);
/** The longest tag held for rewriting. */
export const MAX_TAG = 64 * 1024;

const ATTR = /(\s)([^\s"'>/=]+)(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;

/** One start tag with its URL attributes rewritten. */
export function rewriteTag(tag: string, rewrite: (url: string) => string): string {
  const name = /^<([A-Za-z][A-Za-z0-9-]*)/.exec(tag)?.[1]?.toLowerCase();
  const attrs = name ? URL_ATTRS[name] : undefined;
  if (!attrs) return tag;
  return tag.replace(ATTR, (all: string, sp: string, attr: string, eq: string, dq?: string, sq?: string, bare?: string) => {
    if (!attrs.includes(attr.toLowerCase())) return all;
    const v = dq ?? sq ?? bare ?? '';
    const nv = rewrite(v);
    if (nv === v) return all;
    const q = dq !== undefined ? '"' : sq !== undefined ? "'" : '';
    return `${sp}${attr}${eq}${q}${nv}${q}`;
  });
}

type State = 'text' | 'tag' | 'comment' | 'raw';

/** A stream rewriting the URL attributes of the HTML passing through it. */
export class HtmlLinkRewriter extends Transform {
  private state: State = 'text';
  private tag = '';
  private quote = '';
  private lastNonSpace = '';
  private window = '';
  private rawEnd = '';

  constructor(private readonly rewrite: (url: string) => string) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const s = chunk.toString('latin1');
    let out = '';
    let i = 0;
    while (i < s.length) {
      if (this.state === 'text') {
        const lt = s.indexOf('<', i);
        if (lt < 0) { out += s.slice(i); break; }
        out += s.slice(i, lt);
        this.openTag();
        i = lt + 1;
        continue;
      }
      const c = s[i++]!;
      if (this.state === 'tag') out += this.tagChar(c);
      else if (this.state === 'comment') {
        out += c;
        this.window = (this.window + c).slice(-3);
        if (this.window === '-->') this.state = 'text';
      } else {
        out += c;
        this.window = (this.window + c.toLowerCase()).slice(-this.rawEnd.length);
        if (this.window === this.rawEnd) this.state = 'text';
      }
    }
    cb(null, out ? Buffer.from(out, 'latin1') : undefined);
  }

  override _flush(cb: TransformCallback): void {
    cb(null, this.tag ? Buffer.from(this.tag, 'latin1') : undefined);
    this.tag = '';
  }

  private openTag(): void {
    this.state = 'tag';
    this.tag = '<';
    this.quote = '';
    this.lastNonSpace = '<';
  }

  /** Takes one character of a tag; returns what may be written now. */
  private tagChar(c: string): string {
    this.tag += c;
    if (this.quote) {
      if (c === this.quote) this.quote = '';
    } else if ((c === '"' || c === "'") && this.lastNonSpace === '=') {
      this.quote = c;
    } else if (c === '>') {
      return this.closeTag();
    } else if (this.tag === '<!--') {
      return this.release('comment');
    } else if (this.tag.length === 2 && !/[A-Za-z/!?]/.test(c)) {
      return this.release('text'); // `a < b`: not a tag
    }
    if (!/\s/.test(c)) this.lastNonSpace = c;
    return this.tag.length > MAX_TAG ? this.release('text') : '';
  }

  private release(next: State): string {
    const t = this.tag;
    this.tag = '';
    this.window = '';
    this.state = next;
    return t;
  }

  private closeTag(): string {
    const t = this.tag;
    const name = /^<([A-Za-z][A-Za-z0-9-]*)/.exec(t)?.[1]?.toLowerCase();
    this.release('text');
    if (name && RAW_TEXT.has(name) && !t.endsWith('/>')) {
      this.state = 'raw';
      this.rawEnd = `</${name}`;
    }
    return rewriteTag(t, this.rewrite);
  }
}
