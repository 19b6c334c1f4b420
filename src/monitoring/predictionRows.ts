import { quotedString } from "../core/sql.js";

/**
 * One row per scored input row of a prediction log (a request may carry several rows), with the
 * row's inputs as a JSON array beside the logged column names, and its output as JSON.
 */
export function predictionRowsSql(logRelation: string): string {
  return `(SELECT *, json_extract(inputs, '$.data[' || row_index || ']') AS data_row,
            json_extract(outputs, '$[' || row_index || ']') AS output
     FROM (SELECT timestamp, request_id, endpoint, variant, model_uri, model_version, latency_ms, status, entity_key, inputs, outputs,
                  from_json(json_extract(inputs, '$.columns'), '["VARCHAR"]') AS input_columns,
                  unnest(range(coalesce(json_array_length(outputs), 0)::BIGINT)) AS row_index
           FROM ${logRelation}))`;
}

/** The logged input value of `column` in a row of `predictionRowsSql`, as text (NULL when absent). */
export function loggedInputSql(column: string): string {
  return `json_extract_string(data_row, '$[' || (list_position(input_columns, ${quotedString(column)}) - 1) || ']')`;
}

/**
 * The predicted class of a row's output: the arg-max index of a probability list, a logged label
 * as is, and for a single number in [0, 1] (a binary model's P(class 1)) "1" above 0.5, else "0".
 */
export const predictedClassSql = `CASE json_type(output)
    WHEN 'ARRAY' THEN (list_position(from_json(output, '["DOUBLE"]'), list_max(from_json(output, '["DOUBLE"]'))) - 1)::VARCHAR
    WHEN 'VARCHAR' THEN json_extract_string(output, '$')
    WHEN 'BOOLEAN' THEN json_extract_string(output, '$')
    ELSE CASE WHEN TRY_CAST(json_extract_string(output, '$') AS DOUBLE) BETWEEN 0 AND 1
              THEN (CASE WHEN json_extract_string(output, '$')::DOUBLE > 0.5 THEN '1' ELSE '0' END) END
  END`;

/**
 * The predicted class with class indices (arg-max of a list, or a binary model's 0/1) named
 * through `namesList` (an SQL list expression, in model output order); logged labels are kept.
 */
export function namedClassSql(namesList: string | null): string {
  if (namesList === null) return predictedClassSql;
  return `CASE WHEN json_type(output) NOT IN ('VARCHAR', 'BOOLEAN')
    THEN coalesce(list_extract(${namesList}, TRY_CAST(${predictedClassSql} AS INTEGER) + 1), ${predictedClassSql})
    ELSE ${predictedClassSql} END`;
}

/** A single numeric output (probability or regression value); NULL for lists and labels. */
export const predictedValueSql = `CASE WHEN json_type(output) IN ('DOUBLE', 'BIGINT', 'UBIGINT') THEN json_extract_string(output, '$')::DOUBLE END`;
