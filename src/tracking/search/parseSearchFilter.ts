import { NUMERIC_ATTRIBUTES, readIdentifier, type EntityType } from "./identifiers.js";
import { SearchFilterError } from "./SearchFilterError.js";
import { tokenize, type Token } from "./tokenize.js";

export type Comparator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";

export interface FilterClause {
  entity: EntityType;
  key: string;
  comparator: Comparator;
  /** A number for metrics and numeric attributes, a string otherwise, a list for IN / NOT IN. */
  value: number | string | string[];
  /** Where the clause starts in the filter text. */
  pos: number;
}

const NUMERIC_COMPARATORS: Comparator[] = ["=", "!=", "<", "<=", ">", ">="];
// IN / NOT IN on params and tags goes beyond MLflow (which allows it on run_id only); it is harmless.
const STRING_COMPARATORS: Comparator[] = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];

function isNumeric(entity: EntityType, key: string): boolean {
  return entity === "metric" || (entity === "attribute" && NUMERIC_ATTRIBUTES.has(key));
}

function readComparator(tokens: Token[], index: number, expression: string): { comparator: Comparator; next: number; pos: number } {
  const token = tokens[index];
  if (token === undefined) throw new SearchFilterError(expression, expression.length, "expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN), found the end");
  if (token.kind === "comparator") return { comparator: token.text as Comparator, next: index + 1, pos: token.pos };
  if (token.kind === "word") {
    const upper = token.text.toUpperCase();
    if (upper === "LIKE" || upper === "ILIKE" || upper === "IN") return { comparator: upper, next: index + 1, pos: token.pos };
    if (upper === "NOT") {
      const following = tokens[index + 1];
      if (following?.kind === "word" && following.text.toUpperCase() === "IN") return { comparator: "NOT IN", next: index + 2, pos: token.pos };
      throw new SearchFilterError(expression, following?.pos ?? expression.length, "expected IN after NOT (NOT is only allowed in NOT IN)");
    }
  }
  throw new SearchFilterError(expression, token.pos, `expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN), found '${token.text}'`);
}

function readStringList(tokens: Token[], index: number, expression: string): { value: string[]; next: number } {
  const open = tokens[index];
  if (open?.kind !== "lparen") {
    throw new SearchFilterError(expression, open?.pos ?? expression.length, "expected a parenthesised list of quoted strings, e.g. ('a', 'b')");
  }
  const values: string[] = [];
  let i = index + 1;
  for (;;) {
    const item = tokens[i];
    if (item?.kind !== "string") {
      throw new SearchFilterError(expression, item?.pos ?? expression.length, "expected a quoted string in the list");
    }
    values.push(item.text);
    const sep = tokens[i + 1];
    if (sep?.kind === "comma") {
      i += 2;
      continue;
    }
    if (sep?.kind === "rparen") return { value: values, next: i + 2 };
    throw new SearchFilterError(expression, sep?.pos ?? expression.length, "expected ',' or ')' in the list");
  }
}

/**
 * Parses MLflow's run filter grammar (see `SearchRunsOptions.filter`) into clauses that are all
 * required to hold. Throws `SearchFilterError` with the position of the first problem.
 */
export function parseSearchFilter(filter: string | undefined): FilterClause[] {
  if (filter === undefined || filter.trim() === "") return [];
  const tokens = tokenize(filter);
  const clauses: FilterClause[] = [];
  let i = 0;
  for (;;) {
    const { identifier, next } = readIdentifier(tokens, i, filter);
    const { comparator, next: afterComparator, pos: comparatorPos } = readComparator(tokens, next, filter);
    const numeric = isNumeric(identifier.entity, identifier.key);
    const allowed = numeric ? NUMERIC_COMPARATORS : STRING_COMPARATORS;
    if (!allowed.includes(comparator)) {
      const what = numeric ? (identifier.entity === "metric" ? "metrics" : `attribute '${identifier.key}'`) : identifier.entity === "attribute" ? `attribute '${identifier.key}'` : `${identifier.entity}s`;
      throw new SearchFilterError(filter, comparatorPos, `comparator '${comparator}' is not allowed for ${what}; use one of ${allowed.join(", ")}`);
    }
    let value: FilterClause["value"];
    let afterValue: number;
    const valueToken = tokens[afterComparator];
    if (comparator === "IN" || comparator === "NOT IN") {
      const list = readStringList(tokens, afterComparator, filter);
      value = list.value;
      afterValue = list.next;
    } else if (numeric) {
      if (valueToken?.kind !== "number") {
        throw new SearchFilterError(filter, valueToken?.pos ?? filter.length, `expected a number for ${identifier.entity === "metric" ? `metric '${identifier.key}'` : `attribute '${identifier.key}'`}${valueToken?.kind === "string" ? " (numbers are not quoted)" : ""}`);
      }
      value = Number(valueToken.text);
      afterValue = afterComparator + 1;
    } else {
      if (valueToken?.kind !== "string") {
        throw new SearchFilterError(
          filter,
          valueToken?.pos ?? filter.length,
          "expected a quoted string value; use single or double quotes (numeric-looking params and tags are strings too: params.depth = '5')",
        );
      }
      value = valueToken.text;
      afterValue = afterComparator + 1;
    }
    clauses.push({ entity: identifier.entity, key: identifier.key, comparator, value, pos: identifier.pos });

    const joiner = tokens[afterValue];
    if (joiner === undefined) return clauses;
    if (joiner.kind === "word" && joiner.text.toUpperCase() === "AND") {
      i = afterValue + 1;
      if (tokens[i] === undefined) throw new SearchFilterError(filter, filter.length, "expected a comparison after AND, found the end");
      continue;
    }
    const hint = joiner.kind === "word" && joiner.text.toUpperCase() === "OR" ? " (OR is not supported; only AND)" : "";
    throw new SearchFilterError(filter, joiner.pos, `expected AND or the end of the filter, found '${joiner.text}'${hint}`);
  }
}
