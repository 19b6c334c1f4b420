import { LarderError } from "../../errors.js";

/** A filter or order-by expression that does not parse; `position` is the 0-based character offset. */
export class SearchFilterError extends LarderError {
  readonly position: number;
  readonly expression: string;

  constructor(expression: string, position: number, problem: string) {
    super("INVALID_PARAMETER_VALUE", `Invalid search expression at position ${position}: ${problem}`, {
      hint: `${expression}\n${" ".repeat(Math.max(0, position))}^`,
    });
    this.name = "SearchFilterError";
    this.position = position;
    this.expression = expression;
  }
}
