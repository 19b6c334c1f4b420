import { LarderError } from "../errors.js";
import { columnTypeFits, dtypeForColumn, dtypeName, parseDtype } from "./definitions/dtypes.js";
import { batchSourceOf, type FeatureViewSpec, type FieldSpec, type RepoSpecs } from "./definitions/specs.js";
import type { OfflineStore, SourceColumn } from "./offline/OfflineStore.js";
import { suggestNearest as nearest } from "../core/suggest.js";

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const INFERENCE_EXCLUDED = /^__|__$/;

/**
 * Checks every feature view against its source's actual columns (missing columns, types that cannot hold
 * the declared dtype, non-numeric aggregation columns), fills inferred schemas and join-key types, and
 * returns the completed specs. All problems are reported together, each naming `origin` and the view.
 */
export async function validateSources(specs: RepoSpecs, offline: OfflineStore, origin: string): Promise<RepoSpecs> {
  const problems: string[] = [];
  const described = new Map<string, SourceColumn[] | Error>();
  const featureViews: FeatureViewSpec[] = [];
  for (const view of specs.featureViews) {
    const source = batchSourceOf(view);
    if (!described.has(source.name)) {
      described.set(source.name, await offline.describeSource(source).catch((err: Error) => err));
    }
    const columns = described.get(source.name)!;
    if (columns instanceof Error) {
      problems.push(`Feature view ${view.name}: ${columns.message}`);
      featureViews.push(view);
      continue;
    }
    featureViews.push(checkView(view, columns, problems));
  }
  if (problems.length > 0) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid definitions in ${origin}:\n${problems.map((p) => `  - ${p}`).join("\n")}`, {
      hint: "Fix the definitions or the source files, or skip this check with --skip-source-validation",
    });
  }
  return { ...specs, featureViews };
}

function checkView(view: FeatureViewSpec, sourceColumns: SourceColumn[], problems: string[]): FeatureViewSpec {
  const source = batchSourceOf(view);
  const what = `Feature view ${view.name}`;
  // Columns under the names the view uses (after fieldMapping).
  const byName = new Map(sourceColumns.map((c) => [source.fieldMapping[c.name] ?? c.name, c]));
  const rawNames = sourceColumns.map((c) => c.name);
  const missing = (column: string, role: string): void => {
    const guess = nearest(column, [...byName.keys()]);
    problems.push(
      `${what}: ${role} ${column} is not a column of source ${source.name} (${source.path})${guess ? `; did you mean ${guess}?` : ""}; columns: ${rawNames.join(", ")}`,
    );
  };

  const timestamp = sourceColumns.find((c) => c.name === source.timestampField);
  if (timestamp === undefined) missing(source.timestampField, "timestampField");
  else if (!/^(TIMESTAMP|DATE|VARCHAR)/.test(timestamp.type)) {
    problems.push(`${what}: timestampField ${source.timestampField} of source ${source.name} has type ${timestamp.type}, not a timestamp`);
  }
  if (source.createdTimestampColumn !== null && !rawNames.includes(source.createdTimestampColumn)) {
    missing(source.createdTimestampColumn, "createdTimestampColumn");
  }

  const entityColumns: FieldSpec[] = [];
  for (const key of view.joinKeys) {
    const column = byName.get(key);
    const declared = view.entityColumns.find((f) => f.name === key);
    if (column === undefined) {
      missing(key, "join key");
      if (declared) entityColumns.push(declared);
      continue;
    }
    if (declared !== undefined) {
      checkType(declared, column, what, problems);
      entityColumns.push(declared);
    } else {
      const inferred = dtypeForColumn(column.type);
      if (inferred !== undefined) entityColumns.push({ name: key, dtype: dtypeName(inferred), description: "", tags: {} });
    }
  }

  let features = view.features;
  if (view.schemaInferred) {
    const skip = new Set([source.timestampField, source.createdTimestampColumn, ...view.joinKeys]);
    features = [...byName.entries()]
      .filter(([name, column]) => !skip.has(name) && !skip.has(column.name) && !INFERENCE_EXCLUDED.test(name))
      .filter(([, column]) => dtypeForColumn(column.type) !== undefined)
      .map(([name, column]) => ({ name, dtype: dtypeName(dtypeForColumn(column.type)!), description: "", tags: {} }));
  } else {
    for (const feature of view.features) {
      const column = byName.get(feature.name);
      if (column === undefined) missing(feature.name, "schema field");
      else checkType(feature, column, what, problems);
    }
  }
  for (const aggregation of view.aggregations) {
    const column = byName.get(aggregation.column);
    if (column === undefined) missing(aggregation.column, "aggregation column");
    else if (!NUMERIC.test(column.type) && aggregation.function !== "count") {
      problems.push(`${what}: aggregation ${aggregation.name} needs a numeric column, but ${aggregation.column} is ${column.type}`);
    }
  }
  return { ...view, entityColumns, features };
}

function checkType(field: FieldSpec, column: SourceColumn, what: string, problems: string[]): void {
  if (!columnTypeFits(parseDtype(field.dtype), column.type)) {
    problems.push(`${what}: field ${field.name} is declared ${field.dtype}, but the source column ${column.name} is ${column.type}`);
  }
}
