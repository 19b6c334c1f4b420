import { LarderError } from "../../errors.js";

/** Feast's value-type codes in entity keys. */
const TYPE_BYTES = 1;
const TYPE_STRING = 2;
const TYPE_INT32 = 3;
const TYPE_INT64 = 4;
const TYPE_UNIX_TIMESTAMP = 8;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO_POW_32 = 2 ** 32;

/**
 * Serializes an entity key byte-for-byte as Feast's entity-key serialization v3: u32 count, then each join
 * key name (sorted) as STRING, then each value as `u32 type, u32 length, bytes`, all little-endian.
 * `dtypes` gives the declared type of each join key; values are coerced to it, so `3`, `3n` and `"3"` make
 * the same Int64 key (Feast's Int32/Int64 mismatches gave silent misses).
 */
export function serializeEntityKey(keys: Record<string, unknown>, dtypes: Record<string, string | undefined>): Uint8Array {
  const names = Object.keys(keys).sort();
  return entityKeySerializer(names, dtypes).serialize(names.map((name) => keys[name]));
}

/** Serializes keys of one fixed set of join keys; values come in the order of `names`, sorted by name. */
export interface EntityKeySerializer {
  readonly names: readonly string[];
  serialize(values: readonly unknown[]): Buffer;
}

// One serializer per set of join keys and their types: materialization serializes millions of keys, serving one per request.
const serializers = new Map<string, EntityKeySerializer>();

/** The serializer for join keys `names` (sorted by name) with the declared `dtypes`. */
export function entityKeySerializer(names: readonly string[], dtypes: Record<string, string | undefined>): EntityKeySerializer {
  const declared = names.map((name) => dtypes[name]);
  const cacheKey = JSON.stringify([names, declared]);
  let serializer = serializers.get(cacheKey);
  if (serializer === undefined) {
    serializer = createSerializer([...names], declared);
    serializers.set(cacheKey, serializer);
  }
  return serializer;
}

/** One key's value, checked and coerced: an integer to write in `width` bytes, or bytes to copy. */
interface EncodedValue {
  type: number;
  width: number;
  integer: number | bigint;
  bytes: Uint8Array | string | undefined;
}

function createSerializer(names: string[], dtypes: (string | undefined)[]): EntityKeySerializer {
  const prefix = keyNamesPrefix(names);
  // Reused between calls: serialization is synchronous, and these hold no value past one call.
  const encoded: EncodedValue[] = names.map(() => ({ type: 0, width: 0, integer: 0, bytes: undefined }));
  return {
    names,
    serialize(values: readonly unknown[]): Buffer {
      let size = prefix.length;
      for (let i = 0; i < names.length; i++) {
        const slot = encoded[i]!;
        encodeValue(slot, names[i]!, values[i], dtypes[i]);
        size += 8 + slot.width;
      }
      const key = Buffer.allocUnsafe(size);
      // TypedArray#set rather than Buffer#copy, whose argument checks cost more than copying a few bytes.
      key.set(prefix, 0);
      let offset = prefix.length;
      for (const slot of encoded) {
        offset = key.writeUInt32LE(slot.type, offset);
        offset = key.writeUInt32LE(slot.width, offset);
        offset = writePayload(key, offset, slot);
        slot.bytes = undefined;
      }
      return key;
    },
  };
}

/** The count and the names: the same for every key of a view. */
function keyNamesPrefix(names: readonly string[]): Buffer {
  const encodedNames = names.map((name) => Buffer.from(name, "utf8"));
  const prefix = Buffer.alloc(4 + encodedNames.reduce((n, bytes) => n + 8 + bytes.length, 0));
  let offset = prefix.writeUInt32LE(names.length, 0);
  for (const bytes of encodedNames) {
    offset = prefix.writeUInt32LE(TYPE_STRING, offset);
    offset = prefix.writeUInt32LE(bytes.length, offset);
    offset += bytes.copy(prefix, offset);
  }
  return prefix;
}

function writePayload(key: Buffer, offset: number, slot: EncodedValue): number {
  if (slot.bytes !== undefined) {
    if (typeof slot.bytes === "string") return offset + key.write(slot.bytes, offset, "utf8");
    key.set(slot.bytes, offset);
    return offset + slot.bytes.length;
  }
  if (slot.width === 4) return key.writeInt32LE(slot.integer as number, offset);
  if (typeof slot.integer === "bigint") return key.writeBigInt64LE(slot.integer, offset);
  // A safe integer as two 32-bit words, without making a bigint per key.
  const low = slot.integer >>> 0;
  const high = Math.floor(slot.integer / TWO_POW_32) | 0;
  key.writeUInt32LE(low, offset);
  return key.writeInt32LE(high, offset + 4);
}

function encodeValue(slot: EncodedValue, name: string, value: unknown, dtype: string | undefined): void {
  const type = dtype ?? (typeof value === "string" ? "String" : typeof value === "number" || typeof value === "bigint" ? "Int64" : undefined);
  switch (type) {
    case "String":
      if (typeof value === "string" || typeof value === "number" || typeof value === "bigint") {
        const text = typeof value === "string" ? value : String(value);
        return fill(slot, TYPE_STRING, Buffer.byteLength(text, "utf8"), 0, text);
      }
      break;
    case "Int32": {
      const n = integer(value);
      if (n !== undefined && n >= INT32_MIN && n <= INT32_MAX) return fill(slot, TYPE_INT32, 4, Number(n), undefined);
      break;
    }
    case "Int64":
    case "UnixTimestamp": {
      const n = integer(value);
      if (n !== undefined && (typeof n === "number" || (n >= INT64_MIN && n <= INT64_MAX))) {
        return fill(slot, type === "Int64" ? TYPE_INT64 : TYPE_UNIX_TIMESTAMP, 8, n, undefined);
      }
      break;
    }
    case "Bytes":
      if (value instanceof Uint8Array) return fill(slot, TYPE_BYTES, value.length, 0, value);
      break;
  }
  throw new LarderError(
    "INVALID_PARAMETER_VALUE",
    `Entity key ${name}=${JSON.stringify(typeof value === "bigint" ? String(value) : value)} is not a valid ${type ?? "key"} value`,
  );
}

function fill(slot: EncodedValue, type: number, width: number, integer: number | bigint, bytes: Uint8Array | string | undefined): void {
  slot.type = type;
  slot.width = width;
  slot.integer = integer;
  slot.bytes = bytes;
}

/** A safe integer as a number, any other integer as a bigint; undefined when `value` is no integer. */
function integer(value: unknown): number | bigint | undefined {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return value;
    return Number.isInteger(value) ? BigInt(value) : undefined;
  }
  if (typeof value === "bigint") return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) {
    const n = BigInt(value.trim());
    return n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER ? Number(n) : n;
  }
  return undefined;
}
