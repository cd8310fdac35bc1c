/** `printf` formatting and backslash escapes as the shells' echo -e and printf handle them. */

/** Interprets backslash escapes; `stop` is set when `\c` cut the output. */
export function unescape(s: string, echoStyle = false): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) { out += c; continue; }
    const n = s[++i]!;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '\\': '\\' };
    if (simple[n] !== undefined) out += simple[n];
    else if (n === 'c') return { text: out, stop: true };
    else if (/[0-7]/.test(n) || (n === '0' && echoStyle)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(echoStyle && n === '0' ? i + 1 : i))!;
      const digits = m?.[0] ?? '';
      out += String.fromCharCode(parseInt(digits || '0', 8));
      i += (echoStyle && n === '0' ? 1 : 0) + digits.length - 1;
    } else if (n === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
      if (m) { out += String.fromCharCode(parseInt(m[0], 16)); i += m[0].length; } else out += '\\x';
    } else out += '\\' + n;
  }
  return { text: out, stop: false };
}

function toNum(a: string | undefined): number {
  if (!a) return 0;
  if (/^['"]./.test(a)) return a.charCodeAt(1);
  const n = Number(a);
  return Number.isNaN(n) ? parseInt(a, 10) || 0 : n;
}

/** Formats like printf(1): the format is reused while arguments remain. */
export function printf(fmt: string, args: string[]): string {
  let out = '';
  let ai = 0;
  for (;;) {
    let used = false;
    const re = /%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([sdiouxXfFeEgGcb%])|\\./g;
    let last = 0;
    for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
      out += fmt.slice(last, m.index);
      last = re.lastIndex;
      if (m[0].startsWith('\\')) { out += unescape(m[0]).text; continue; }
      const [, flags = '', w, p, conv] = m;
      if (conv === '%') { out += '%'; continue; }
      used = true;
      const width = w === '*' ? toNum(args[ai++]) : Number(w ?? 0);
      const prec = p === '*' ? toNum(args[ai++]) : p !== undefined ? Number(p) : undefined;
      const arg = args[ai++];
      let s: string;
      switch (conv) {
        case 's': s = arg ?? ''; if (prec !== undefined) s = s.slice(0, prec); break;
        case 'b': s = unescape(arg ?? '', true).text; break;
        case 'c': s = (arg ?? '').slice(0, 1); break;
        case 'd': case 'i': case 'u': { const n = Math.trunc(toNum(arg)); s = (n < 0 ? '-' : flags.includes('+') ? '+' : '') + String(Math.abs(n)); break; }
        case 'o': s = Math.trunc(toNum(arg)).toString(8); break;
        case 'x': s = Math.trunc(toNum(arg)).toString(16); break;
        case 'X': s = Math.trunc(toNum(arg)).toString(16).toUpperCase(); break;
        case 'e': case 'E': s = toNum(arg).toExponential(prec ?? 6); if (conv === 'E') s = s.toUpperCase(); break;
        case 'g': case 'G': s = String(Number(toNum(arg).toPrecision(prec || 6))); break;
        default: s = toNum(arg).toFixed(prec ?? 6);
      }
      if (s.length < width) {
        if (flags.includes('-')) s = s.padEnd(width);
        else if (flags.includes('0') && /[diouxXfFeEgG]/.test(conv!)) s = (s.startsWith('-') ? '-' + s.slice(1).padStart(width - 1, '0') : s.padStart(width, '0'));
        else s = s.padStart(width);
      }
      out += s;
    }
    out += fmt.slice(last);
    if (!used || ai >= args.length) break;
  }
  return out;
}
