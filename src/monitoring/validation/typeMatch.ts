const FAMILIES: Record<string, RegExp> = {
  numeric: /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/,
  integer: /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/,
  float: /^(FLOAT|DOUBLE|REAL|DECIMAL.*)$/,
  string: /^VARCHAR$/,
  boolean: /^BOOLEAN$/,
  timestamp: /^TIMESTAMP.*$/,
  date: /^DATE$/,
};

const ALIASES: Record<string, string> = {
  number: "numeric", int: "integer", double: "float", text: "string", str: "string", varchar: "string", bool: "boolean", datetime: "timestamp",
};

/**
 * Whether a DuckDB column type satisfies an expected type: a family name (numeric, integer, float,
 * string, boolean, timestamp, date; `double` means any floating type) or an exact DuckDB type.
 */
export function typeMatches(expected: string, actual: string): boolean {
  const wanted = expected.trim().toLowerCase();
  const family = FAMILIES[ALIASES[wanted] ?? wanted];
  const upper = actual.toUpperCase();
  return family ? family.test(upper) : upper === expected.trim().toUpperCase();
}
