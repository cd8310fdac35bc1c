/**
 * Limits on how deeply request bodies nest. Go's decoders allow 10000 levels, but JavaScript
 * recursion (the YAML parser, the patch engines, JSON encoding) overflows the stack far earlier,
 * and a stack overflow inside V8's regular-expression compiler kills the whole process. So knet
 * refuses deeper bodies up front: JSON after parsing (JSON.parse itself does not recurse), YAML
 * by scanning its text before parsing.
 */

/** Deepest array/object nesting accepted in a decoded JSON body. */
export const MAX_NESTING = 500;

/** Deepest nesting (block indentation levels plus flow brackets) accepted in YAML text. */
export const MAX_YAML_NESTING = 200;

/** True when a decoded JSON value nests arrays/objects deeper than `limit` (checked iteratively). */
export function nestedDeeperThan(v: unknown, limit = MAX_NESTING): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (d + 1 > limit) return true;
    for (const c of Array.isArray(x) ? x : Object.values(x)) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return false;
}

/**
 * A conservative estimate of YAML nesting: indentation levels (sequence dashes count as levels)
 * plus open flow brackets. Block scalar content and comments are skipped; brackets inside quoted
 * strings are counted too, so the estimate only errs high.
 */
export function yamlNestingDeeperThan(text: string, limit = MAX_YAML_NESTING): boolean {
  const indents: number[] = [];
  let flow = 0;
  let blockScalarIndent = -1; // lines indented more than this belong to a block scalar
  for (const raw of text.split(/\r?\n/)) {
    const body = raw.trimStart();
    const indent = raw.length - body.length;
    if (blockScalarIndent >= 0) {
      if (body === '' || indent > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    if (body === '' || body.startsWith('#')) continue;
    let col = indent;
    let rest = body;
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1]! >= col) indents.pop();
      indents.push(col);
      for (let m = /^-(\s+|$)/.exec(rest); m; m = /^-(\s+|$)/.exec(rest)) {
        col += m[0].length;
        rest = rest.slice(m[0].length);
        indents.push(col);
      }
    }
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i];
      if (c === '#' && (i === 0 || rest[i - 1] === ' ' || rest[i - 1] === '\t')) break;
      if (c === '[' || c === '{') flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      if (indents.length + flow > limit) return true;
    }
    if (indents.length + flow > limit) return true;
    if (flow === 0 && /(^|[\s:-])[|>][-+0-9]*\s*(#.*)?$/.test(rest)) blockScalarIndent = indent;
  }
  return false;
}
