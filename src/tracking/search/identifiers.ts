import { SearchFilterError } from "./SearchFilterError.js";
import type { Token } from "./tokenize.js";

export type EntityType = "metric" | "param" | "tag" | "attribute";

export interface Identifier {
  entity: EntityType;
  key: string;
  pos: number;
}

const ENTITY_ALIASES: Record<string, EntityType> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
};

/** Searchable run attributes, with MLflow's aliases folded onto their canonical name. */
const ATTRIBUTE_ALIASES: Record<string, string> = {
  run_id: "run_id",
  run_name: "run_name",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
  status: "status",
  user_id: "user_id",
  artifact_uri: "artifact_uri",
  start_time: "start_time",
  end_time: "end_time",
  created: "start_time",
  Created: "start_time",
};

export const NUMERIC_ATTRIBUTES = new Set(["start_time", "end_time"]);

export function canonicalAttribute(key: string, expression: string, pos: number): string {
  const canonical = ATTRIBUTE_ALIASES[key];
  if (canonical === undefined) {
    throw new SearchFilterError(
      expression,
      pos,
      `invalid attribute key '${key}'; valid keys are run_id, run_name, status, user_id, artifact_uri, start_time, end_time, created`,
    );
  }
  return canonical;
}

function isNamePart(token: Token | undefined): boolean {
  return token !== undefined && (token.kind === "backtick" || (token.kind === "string" && token.quote === '"'));
}

/**
 * Reads `<entity>.<key>` or a bare attribute key starting at `tokens[index]`. Keys may be dotted
 * (`tags.mlflow.runName`) or quoted with backticks or double quotes (``metrics.`f1-score` ``).
 * Returns the identifier and the index of the next token.
 */
export function readIdentifier(tokens: Token[], index: number, expression: string): { identifier: Identifier; next: number } {
  const first = tokens[index];
  if (first === undefined) throw new SearchFilterError(expression, expression.length, "expected an identifier such as metrics.accuracy, found the end");
  const pos = first.pos;
  let entityText: string | undefined;
  let key: string;
  let next = index + 1;

  if (first.kind === "word") {
    const dot = first.text.indexOf(".");
    if (dot === -1) {
      entityText = undefined;
      key = first.text;
    } else {
      entityText = first.text.slice(0, dot);
      key = first.text.slice(dot + 1);
      if (key === "") {
        const quoted = tokens[next];
        if (!isNamePart(quoted) || quoted!.pos !== first.end) {
          throw new SearchFilterError(expression, first.end, `expected a key after '${first.text}'`);
        }
        key = quoted!.text;
        next += 1;
      }
    }
  } else if (isNamePart(first)) {
    const dot = tokens[next];
    if (dot?.kind === "dot" && dot.pos === first.end) {
      const keyToken = tokens[next + 1];
      if (keyToken === undefined || keyToken.pos !== dot.end || !(keyToken.kind === "word" || isNamePart(keyToken))) {
        throw new SearchFilterError(expression, dot.end, "expected a key after '.'");
      }
      entityText = first.text;
      key = keyToken.text;
      next += 2;
    } else {
      entityText = undefined;
      key = first.text;
    }
  } else {
    const found = first.kind === "string" ? `the string '${first.text}' (names are quoted with backticks or double quotes, not single quotes)` : `'${first.text}'`;
    throw new SearchFilterError(expression, pos, `expected an identifier such as metrics.accuracy, found ${found}`);
  }

  if (entityText === undefined) {
    return { identifier: { entity: "attribute", key: canonicalAttribute(key, expression, pos), pos }, next };
  }
  const entity = ENTITY_ALIASES[entityText.toLowerCase()];
  if (entity === undefined) {
    throw new SearchFilterError(
      expression,
      pos,
      `invalid entity type '${entityText}'; valid types are metrics, params, tags, attributes`,
    );
  }
  if (key === "") throw new SearchFilterError(expression, pos, "empty key");
  return {
    identifier: { entity, key: entity === "attribute" ? canonicalAttribute(key, expression, pos) : key, pos },
    next,
  };
}
