import { SearchFilterError } from "./SearchFilterError.js";

export type TokenKind = "word" | "string" | "backtick" | "number" | "comparator" | "lparen" | "rparen" | "comma" | "dot";

export interface Token {
  kind: TokenKind;
  /** For strings and backticks, the unquoted content; otherwise the source text. */
  text: string;
  /** 0-based offset of the first character. */
  pos: number;
  /** Offset just past the last character. */
  end: number;
  /** `'` or `"` for strings. */
  quote?: string;
}

const WORD = /[A-Za-z_][\w.]*/y;
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;
const COMPARATOR = /!=|<=|>=|=|<|>/y;

function readQuoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === quote) {
      // SQL style: a doubled quote stands for one quote character.
      if (text[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i += 1;
  }
  const what = quote === "`" ? "backtick-quoted name" : "string";
  throw new SearchFilterError(text, start, `unterminated ${what} (missing closing ${quote})`);
}

/** Splits a filter or order-by expression into tokens, remembering where each starts. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      const { value, end } = readQuoted(text, i, ch);
      tokens.push(ch === "`" ? { kind: "backtick", text: value, pos: i, end } : { kind: "string", text: value, pos: i, end, quote: ch });
      i = end;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ kind: ch === "(" ? "lparen" : ch === ")" ? "rparen" : "comma", text: ch, pos: i, end: i + 1 });
      i += 1;
      continue;
    }
    COMPARATOR.lastIndex = i;
    const comparator = COMPARATOR.exec(text);
    if (comparator) {
      tokens.push({ kind: "comparator", text: comparator[0], pos: i, end: i + comparator[0].length });
      i += comparator[0].length;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = /[-+\d.]/.test(ch) ? NUMBER.exec(text) : null;
    if (number) {
      tokens.push({ kind: "number", text: number[0], pos: i, end: i + number[0].length });
      i += number[0].length;
      continue;
    }
    if (ch === ".") {
      tokens.push({ kind: "dot", text: ".", pos: i, end: i + 1 });
      i += 1;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      tokens.push({ kind: "word", text: word[0], pos: i, end: i + word[0].length });
      i += word[0].length;
      continue;
    }
    throw new SearchFilterError(text, i, `unexpected character '${ch}'`);
  }
  return tokens;
}
