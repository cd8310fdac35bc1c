/**
 * The notation of our protobuf field tables and its parser.
 *
 * A message is described by one string of space-separated items `jsonName=number[:type]`:
 * - no type means a string; scalars are `string int32 int64 uint32 uint64 bool bytes double float`;
 * - `*T` marks a Go pointer scalar (its zero value is meaningful and kept); `!T` a scalar whose
 *   JSON tag has no `omitempty` (Go always emits it, so its zero value is kept too);
 * - `[]T` is a repeated field; `map` is map<string,string>, `map<T>` a map with T values;
 * - any other name is a nested message, looked up in the tables or among the special types
 *   `Time MicroTime Quantity IntOrString RawExtension FieldsV1 Duration`;
 * - the json name `...` marks an embedded (inline) Go struct whose fields are merged into the parent.
 */

/** Message name → field string, as written in the tables files. */
export type Tables = Record<string, string>;

/** One parsed field of a message. */
export interface FieldSpec {
  name: string;
  num: number;
  /** Scalar, special or message type name (the map value type for maps). */
  type: string;
  repeated: boolean;
  map: boolean;
  pointer: boolean;
  /** Not `omitempty` in Go: the zero value is emitted in JSON, so it is kept. */
  keep: boolean;
  inline: boolean;
}

/** A parsed message: fields by number. */
export type MessageSpec = Map<number, FieldSpec>;

/** Scalar type names of the notation. */
export const SCALARS = new Set(['string', 'int32', 'int64', 'uint32', 'uint64', 'bool', 'bytes', 'double', 'float']);

/** Parses one message string such as `name=1 replicas=2:*int32 ports=3:[]ServicePort`. */
export function parseMessage(msg: string, src: string): MessageSpec {
  const out: MessageSpec = new Map();
  for (const item of msg.split(' ').filter(Boolean)) {
    const m = /^([\w.]+)=(\d+)(?::(.+))?$/.exec(item);
    if (!m || !m[1] || !m[2]) throw new Error(`bad protobuf table item ${JSON.stringify(item)} in ${src}`);
    let type = m[3] ?? 'string';
    const spec: FieldSpec = { name: m[1], num: Number(m[2]), type, repeated: false, map: false, pointer: false, keep: false, inline: m[1] === '...' };
    if (type.startsWith('[]')) { spec.repeated = true; type = type.slice(2); }
    else if (type === 'map') { spec.map = true; type = 'string'; }
    else if (type.startsWith('map<')) { spec.map = true; type = type.slice(4, -1); }
    else if (type.startsWith('*')) { spec.pointer = true; type = type.slice(1); }
    else if (type.startsWith('!')) { spec.keep = true; type = type.slice(1); }
    spec.type = type;
    out.set(spec.num, spec);
  }
  return out;
}

/** A lazily parsed view of several tables merged into one namespace. */
export class Registry {
  private readonly raw: Tables;
  private readonly parsed = new Map<string, MessageSpec>();
  constructor(...tables: Tables[]) {
    this.raw = Object.assign({}, ...tables) as Tables;
  }
  has(name: string): boolean {
    return Object.hasOwn(this.raw, name);
  }
  get(name: string): MessageSpec {
    let spec = this.parsed.get(name);
    if (!spec) {
      const src = this.raw[name];
      if (src === undefined) throw new Error(`no protobuf table for message ${name}`);
      spec = parseMessage(src, name);
      this.parsed.set(name, spec);
    }
    return spec;
  }
  names(): string[] {
    return Object.keys(this.raw);
  }
}
