export { SearchFilterError } from "./SearchFilterError.js";
export { parseSearchFilter, type FilterClause, type Comparator } from "./parseSearchFilter.js";
export { matchesFilter, clauseMatches, likeToRegExp } from "./matchesFilter.js";
export { parseOrderBy, sortRuns, type OrderByClause } from "./orderBy.js";
export { runValue } from "./runValues.js";
export type { EntityType } from "./identifiers.js";
export {
  searchRunsInMemory,
  encodePageToken,
  decodePageToken,
  validateMaxResults,
  DEFAULT_MAX_RESULTS,
  MAX_RESULTS_LIMIT,
  type InMemorySearchOptions,
} from "./searchRunsInMemory.js";
