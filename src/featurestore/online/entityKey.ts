import { LarderError } from "../../errors.js";

/** Feast's value-type codes in entity keys. */
const TYPE_BYTES = 1;
const TYPE_STRING = 2;
const TYPE_INT32 = 3;
const TYPE_INT64 = 4;
const TYPE_UNIX_TIMESTAMP = 8;

/**
 * Serializes an entity key byte-for-byte as Feast's entity-key serialization v3: u32 count, then each join
 * key name (sorted) as STRING, then each value as `u32 type, u32 length, bytes`, all little-endian.
 * `dtypes` gives the declared type of each join key; values are coerced to it, so `3`, `3n` and `"3"` make
 * the same Int64 key (Feast's Int32/Int64 mismatches gave silent misses).
 */
export function serializeEntityKey(keys: Record<string, unknown>, dtypes: Record<string, string | undefined>): Uint8Array {
  const names = Object.keys(keys).sort();
  const parts: Buffer[] = [keyNamesPrefix(names)];
  for (const name of names) {
    const [type, payload] = encodeValue(name, keys[name], dtypes[name]);
    parts.push(u32(type), u32(payload.length), payload);
  }
  return Buffer.concat(parts);
}

// The names part is the same for every key of a view; materialization serializes millions of keys.
const prefixCache = new Map<string, Buffer>();

function keyNamesPrefix(names: readonly string[]): Buffer {
  const cacheKey = names.join("\u0000");
  let prefix = prefixCache.get(cacheKey);
  if (prefix === undefined) {
    const parts: Buffer[] = [u32(names.length)];
    for (const name of names) {
      const bytes = Buffer.from(name, "utf8");
      parts.push(u32(TYPE_STRING), u32(bytes.length), bytes);
    }
    prefix = Buffer.concat(parts);
    prefixCache.set(cacheKey, prefix);
  }
  return prefix;
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

function encodeValue(name: string, value: unknown, dtype: string | undefined): [number, Buffer] {
  const type = dtype ?? (typeof value === "string" ? "String" : typeof value === "number" || typeof value === "bigint" ? "Int64" : undefined);
  switch (type) {
    case "String":
      if (typeof value === "string") return [TYPE_STRING, Buffer.from(value, "utf8")];
      if (typeof value === "number" || typeof value === "bigint") return [TYPE_STRING, Buffer.from(String(value), "utf8")];
      break;
    case "Int32": {
      const n = integer(value);
      if (n !== undefined && n >= -(2n ** 31n) && n < 2n ** 31n) {
        const buffer = Buffer.alloc(4);
        buffer.writeInt32LE(Number(n));
        return [TYPE_INT32, buffer];
      }
      break;
    }
    case "Int64":
    case "UnixTimestamp": {
      const n = integer(value);
      if (n !== undefined && n >= -(2n ** 63n) && n < 2n ** 63n) {
        const buffer = Buffer.alloc(8);
        buffer.writeBigInt64LE(n);
        return [type === "Int64" ? TYPE_INT64 : TYPE_UNIX_TIMESTAMP, buffer];
      }
      break;
    }
    case "Bytes":
      if (value instanceof Uint8Array) return [TYPE_BYTES, Buffer.from(value)];
      break;
  }
  throw new LarderError(
    "INVALID_PARAMETER_VALUE",
    `Entity key ${name}=${JSON.stringify(typeof value === "bigint" ? String(value) : value)} is not a valid ${type ?? "key"} value`,
  );
}

function integer(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  return undefined;
}
