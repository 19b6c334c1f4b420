/** Quotes an SQL identifier for DuckDB; every identifier that reaches SQL goes through here. */
export function quotedIdentifier(name: string): string {
  return `"${name.replaceAll(`"`, `""`)}"`;
}

/** Quotes an SQL string literal (for paths in `read_parquet(...)` and `COPY ... TO`, which cannot be bound). */
export function quotedString(value: string): string {
  return `'${value.replaceAll(`'`, `''`)}'`;
}
