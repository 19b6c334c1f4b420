import { LarderError } from "../../errors.js";

export type PrimitiveTypeName =
  | "Float32"
  | "Float64"
  | "Int32"
  | "Int64"
  | "String"
  | "Bool"
  | "UnixTimestamp"
  | "Bytes";

export interface PrimitiveType {
  readonly kind: "primitive";
  readonly name: PrimitiveTypeName;
}

export interface ArrayType {
  readonly kind: "array";
  readonly element: PrimitiveType;
}

/** A feature's value type, Feast's `feast.types`. Printed as `Float32` or `Array(Float32)`. */
export type FeatureType = PrimitiveType | ArrayType;

const primitive = (name: PrimitiveTypeName): PrimitiveType => Object.freeze({ kind: "primitive", name });

export const Float32 = primitive("Float32");
export const Float64 = primitive("Float64");
export const Int32 = primitive("Int32");
export const Int64 = primitive("Int64");
export const String = primitive("String");
export const Bool = primitive("Bool");
export const UnixTimestamp = primitive("UnixTimestamp");
export const Bytes = primitive("Bytes");

const PRIMITIVES: Record<PrimitiveTypeName, PrimitiveType> = {
  Float32,
  Float64,
  Int32,
  Int64,
  String,
  Bool,
  UnixTimestamp,
  Bytes,
};

/** `ArrayOf(Float32)`, exported as `Array` too for Feast users who write `Array(Float32)`. */
export function ArrayOf(element: PrimitiveType): ArrayType {
  if (!isFeatureType(element) || element.kind !== "primitive") {
    throw new LarderError("INVALID_PARAMETER_VALUE", "Array element type must be a primitive type such as Float32");
  }
  return Object.freeze({ kind: "array", element });
}

export function isFeatureType(value: unknown): value is FeatureType {
  if (typeof value !== "object" || value === null) return false;
  const t = value as { kind?: unknown; name?: unknown; element?: unknown };
  if (t.kind === "primitive") return typeof t.name === "string" && t.name in PRIMITIVES;
  if (t.kind === "array") return isFeatureType(t.element) && t.element.kind === "primitive";
  return false;
}

export function dtypeName(type: FeatureType): string {
  return type.kind === "array" ? `Array(${type.element.name})` : type.name;
}

export function parseDtype(name: string): FeatureType {
  const array = /^Array\((\w+)\)$/.exec(name);
  const base = array ? array[1]! : name;
  const element = PRIMITIVES[base as PrimitiveTypeName];
  if (element === undefined) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Unknown feature type ${name}`, {
      hint: `Valid types: ${Object.keys(PRIMITIVES).join(", ")}, and Array(T) of them`,
    });
  }
  return array ? ArrayOf(element) : element;
}

const INTEGER_COLUMN = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;
const FLOAT_COLUMN = /^(FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;

/** Whether a DuckDB column type can hold values of `type` (used by apply's source validation). */
export function columnTypeFits(type: FeatureType, columnType: string): boolean {
  if (type.kind === "array") {
    const inner = /^(.*)\[\]$/.exec(columnType);
    return inner !== null && columnTypeFits(type.element, inner[1]!);
  }
  switch (type.name) {
    case "Float32":
    case "Float64":
      return FLOAT_COLUMN.test(columnType) || INTEGER_COLUMN.test(columnType);
    case "Int32":
    case "Int64":
      return INTEGER_COLUMN.test(columnType);
    case "String":
      return columnType === "VARCHAR";
    case "Bool":
      return columnType === "BOOLEAN";
    case "UnixTimestamp":
      return columnType.startsWith("TIMESTAMP") || columnType === "DATE" || INTEGER_COLUMN.test(columnType);
    case "Bytes":
      return columnType === "BLOB";
  }
}

/** The Larder type a DuckDB column naturally maps to, for inferred schemas and join keys. */
export function dtypeForColumn(columnType: string): FeatureType | undefined {
  const inner = /^(.*)\[\]$/.exec(columnType);
  if (inner) {
    const element = dtypeForColumn(inner[1]!);
    return element?.kind === "primitive" ? ArrayOf(element) : undefined;
  }
  if (columnType === "INTEGER" || columnType === "SMALLINT" || columnType === "TINYINT") return Int32;
  if (INTEGER_COLUMN.test(columnType)) return Int64;
  if (columnType === "FLOAT") return Float32;
  if (FLOAT_COLUMN.test(columnType)) return Float64;
  if (columnType === "VARCHAR") return String;
  if (columnType === "BOOLEAN") return Bool;
  if (columnType.startsWith("TIMESTAMP") || columnType === "DATE") return UnixTimestamp;
  if (columnType === "BLOB") return Bytes;
  return undefined;
}
