import { parse } from "yaml";
import { formatYamlFloat } from "./pythonFloat.js";

/**
 * A YAML emitter that reproduces PyYAML's `safe_dump(default_flow_style=False)` byte for byte for
 * the shapes MLflow writes (mappings, sequences, strings, ints, floats, booleans, null): keys
 * sorted, sequences not indented under their key, YAML 1.1 quoting, width-80 folding. A generic
 * YAML library gets these details wrong, and MLflow's own readers and diffs of `mlruns/` care.
 */

/** Marks a number that Python holds as a float (`1.0`, not `1`). */
export class YamlFloat {
  constructor(readonly value: number) {}
}

export type YamlValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | YamlFloat
  | YamlValue[]
  | { [key: string]: YamlValue | undefined };

export interface DumpOptions {
  /** PyYAML sorts mapping keys unless told not to (MLflow's `python_env.yaml`). Default true. */
  sortKeys?: boolean;
  /** `allow_unicode=True` (MLflow's meta.yaml) keeps non-ASCII text; otherwise it is escaped. Default true. */
  allowUnicode?: boolean;
}

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_RE =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP_RE =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** True when PyYAML would read this plain text back as something other than a string. */
function resolvesToNonString(text: string): boolean {
  return (
    BOOL_RE.test(text) ||
    FLOAT_RE.test(text) ||
    INT_RE.test(text) ||
    NULL_RE.test(text) ||
    TIMESTAMP_RE.test(text) ||
    text === "<<" ||
    text === "="
  );
}

const BREAKS = "\n\x85\u2028\u2029";
const WHITESPACE_AFTER = "\0 \t\r\n\x85\u2028\u2029";

interface ScalarAnalysis {
  empty: boolean;
  multiline: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

function isPrintableUnicode(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (
    c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c < 0x10ffff)
  ) && c !== 0xfeff;
}

function analyzeScalar(chars: string[], allowUnicode: boolean): ScalarAnalysis {
  if (chars.length === 0) {
    return { empty: true, multiline: false, allowBlockPlain: false, allowSingleQuoted: true };
  }
  const text = chars.join("");
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;

  if (text.startsWith("---") || text.startsWith("...")) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  let followedByWhitespace = chars.length === 1 || WHITESPACE_AFTER.includes(chars[1]!);

  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index]!;
    if (index === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if (ch === "?" || ch === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === "-" && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (",?[]{}".includes(ch)) flowIndicators = true;
      if (ch === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === "#" && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    const code = ch.codePointAt(0)!;
    if (!(ch === "\n" || (code >= 0x20 && code <= 0x7e))) {
      if (isPrintableUnicode(ch)) {
        if (!allowUnicode) specialCharacters = true;
      } else {
        specialCharacters = true;
      }
    }
    if (ch === " ") {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = WHITESPACE_AFTER.includes(ch);
    followedByWhitespace = index + 2 >= chars.length || WHITESPACE_AFTER.includes(chars[index + 2]!);
  }

  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (spaceBreak || specialCharacters) {
    allowBlockPlain = false;
    allowSingleQuoted = false;
  }
  if (breakSpace) {
    allowBlockPlain = false;
    allowSingleQuoted = false;
  }
  if (lineBreaks) allowBlockPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  void flowIndicators;
  return { empty: false, multiline: lineBreaks, allowBlockPlain, allowSingleQuoted };
}

const ESCAPES: Record<string, string> = {
  "\0": "0",
  "\x07": "a",
  "\x08": "b",
  "\x09": "t",
  "\x0A": "n",
  "\x0B": "v",
  "\x0C": "f",
  "\x0D": "r",
  "\x1B": "e",
  '"': '"',
  "\\": "\\",
  "\x85": "N",
  "\xA0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

/** Mirrors the column bookkeeping of PyYAML's emitter so that folding happens at the same spaces. */
class Writer {
  out = "";
  column = 0;
  whitespace = true;
  indention = true;

  constructor(readonly allowUnicode: boolean) {}

  write(data: string, length = [...data].length): void {
    this.out += data;
    this.column += length;
  }

  lineBreak(): void {
    this.out += "\n";
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
  }

  writeIndent(indent: number): void {
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.lineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.write(" ".repeat(indent - this.column));
    }
  }

  indicator(text: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? text : ` ${text}`;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.write(data);
  }

  plain(chars: string[], indent: number, split: boolean): void {
    if (chars.length === 0) return;
    if (!this.whitespace) this.write(" ");
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end]! : undefined;
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent(indent);
            this.whitespace = false;
            this.indention = false;
          } else {
            this.write(chars.slice(start, end).join(""), end - start);
          }
          start = end;
        }
      } else if (ch === undefined || ch === " ") {
        this.write(chars.slice(start, end).join(""), end - start);
        start = end;
      }
      if (ch !== undefined) spaces = ch === " ";
    }
  }

  singleQuoted(chars: string[], indent: number, split: boolean): void {
    this.indicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end]! : undefined;
      if (spaces) {
        if (ch === undefined || ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== chars.length) {
            this.writeIndent(indent);
          } else {
            this.write(chars.slice(start, end).join(""), end - start);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (chars[start] === "\n") this.lineBreak();
          for (const br of chars.slice(start, end)) {
            if (br === "\n") this.lineBreak();
            else {
              // PyYAML writes other line-break characters (NEL, LS, PS) as they are.
              this.lineBreak();
              this.out = this.out.slice(0, -1) + br;
            }
          }
          this.writeIndent(indent);
          start = end;
        }
      } else if (ch === undefined || ch === " " || BREAKS.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(chars.slice(start, end).join(""), end - start);
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''", 2);
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === " ";
        breaks = BREAKS.includes(ch);
      }
    }
    this.indicator("'", false);
  }

  doubleQuoted(chars: string[], indent: number, split: boolean): void {
    this.indicator('"', true);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end]! : undefined;
      if (ch === undefined || needsEscape(ch, this.allowUnicode)) {
        if (start < end) {
          this.write(chars.slice(start, end).join(""), end - start);
          start = end;
        }
        if (ch !== undefined) {
          this.write(escapeChar(ch));
          start = end + 1;
        }
      }
      if (
        end > 0 &&
        end < chars.length - 1 &&
        (ch === " " || start >= end) &&
        this.column + (end - start) > BEST_WIDTH &&
        split
      ) {
        const data = chars.slice(start, end).join("") + "\\";
        if (start < end) start = end;
        this.write(data);
        this.writeIndent(indent);
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === " ") this.write("\\");
      }
    }
    this.indicator('"', false);
  }
}

function needsEscape(ch: string, allowUnicode: boolean): boolean {
  if ('"\\\x85\u2028\u2029\uFEFF'.includes(ch)) return true;
  const c = ch.codePointAt(0)!;
  if (c >= 0x20 && c <= 0x7e) return false;
  return !(allowUnicode && ((c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd)));
}

function escapeChar(ch: string): string {
  const known = ESCAPES[ch];
  if (known !== undefined) return `\\${known}`;
  const c = ch.codePointAt(0)!;
  if (c <= 0xff) return `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
  if (c <= 0xffff) return `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
  return `\\U${c.toString(16).toUpperCase().padStart(8, "0")}`;
}

function isMapping(value: YamlValue): value is { [key: string]: YamlValue | undefined } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof YamlFloat);
}

function scalarText(value: YamlValue): { text: string; isString: boolean } {
  if (value === null) return { text: "null", isString: false };
  if (typeof value === "boolean") return { text: value ? "true" : "false", isString: false };
  if (typeof value === "bigint") return { text: value.toString(), isString: false };
  if (typeof value === "number") {
    return { text: Number.isInteger(value) ? String(value) : formatYamlFloat(value), isString: false };
  }
  if (value instanceof YamlFloat) return { text: formatYamlFloat(value.value), isString: false };
  return { text: value as string, isString: true };
}

function emitScalar(w: Writer, value: YamlValue, indent: number, simpleKey: boolean): void {
  const { text, isString } = scalarText(value);
  const chars = [...text];
  if (!isString) {
    w.plain(chars, indent, !simpleKey);
    return;
  }
  const analysis = analyzeScalar(chars, w.allowUnicode);
  const plainOk =
    !resolvesToNonString(text) && !(simpleKey && (analysis.empty || analysis.multiline)) && analysis.allowBlockPlain;
  if (plainOk) {
    w.plain(chars, indent, !simpleKey);
  } else if (analysis.allowSingleQuoted && !(simpleKey && analysis.multiline)) {
    w.singleQuoted(chars, indent, !simpleKey);
  } else {
    w.doubleQuoted(chars, indent, !simpleKey);
  }
}

function entriesOf(map: { [key: string]: YamlValue | undefined }, sortKeys: boolean): [string, YamlValue][] {
  const entries = Object.entries(map).filter((e): e is [string, YamlValue] => e[1] !== undefined);
  // Python sorts str keys by code point; JS default sort compares UTF-16 units, same for the BMP.
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries;
}

function isEmptyCollection(value: YamlValue): boolean {
  return (Array.isArray(value) && value.length === 0) || (isMapping(value) && entriesOf(value, false).length === 0);
}

function emitNode(w: Writer, value: YamlValue, indent: number, options: Required<DumpOptions>): void {
  if (isEmptyCollection(value)) {
    w.indicator(Array.isArray(value) ? "[]" : "{}", true);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      w.writeIndent(indent);
      w.indicator("-", true, false, true);
      emitNode(w, item, indent + BEST_INDENT, options);
    }
    return;
  }
  if (isMapping(value)) {
    for (const [key, child] of entriesOf(value, options.sortKeys)) {
      w.writeIndent(indent);
      emitScalar(w, key, indent, true);
      w.indicator(":", false);
      // PyYAML writes a non-empty sequence that is a mapping value at the key's own indentation.
      const childIndent = Array.isArray(child) && child.length > 0 ? indent : indent + BEST_INDENT;
      emitNode(w, child, childIndent, options);
    }
    return;
  }
  emitScalar(w, value, indent, false);
}

/** Serialises `value` exactly as PyYAML's `safe_dump(value, default_flow_style=False)` would. */
export function dumpPythonYaml(value: YamlValue, options: DumpOptions = {}): string {
  const resolved: Required<DumpOptions> = { sortKeys: options.sortKeys ?? true, allowUnicode: options.allowUnicode ?? true };
  const w = new Writer(resolved.allowUnicode);
  if (!Array.isArray(value) && !isMapping(value)) {
    // PyYAML ends a bare top-level scalar document with an explicit end marker.
    emitScalar(w, value, 0, false);
    w.lineBreak();
    w.write("...");
    w.lineBreak();
    return w.out;
  }
  emitNode(w, value, 0, resolved);
  w.lineBreak();
  return w.out;
}

/**
 * Reads a `meta.yaml`. PyYAML writes plain YAML 1.1, but never anything whose meaning differs
 * between 1.1 and 1.2 unquoted (it quotes `'yes'`, `'0'`, ...), so the 1.2 parser reads it the same.
 */
export function parsePythonYaml(text: string): unknown {
  return parse(text, { intAsBigInt: false, uniqueKeys: false });
}
