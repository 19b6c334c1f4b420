import { SeededRandom } from "../core/random.js";
import { LarderError } from "../errors.js";

export type ParamValue = string | number | boolean;
export type SearchSpace = Record<string, ParamValue[]>;

/** A command-line parameter value: numbers and booleans as such, anything else as text. */
export function parseParamValue(text: string): ParamValue {
  const t = text.trim();
  if (t === "true" || t === "false") return t === "true";
  if (t !== "" && !Number.isNaN(Number(t))) return Number(t);
  return t;
}

/** Parses `"num_leaves=15,31,63;learning_rate=0.05,0.1"` into a search space. */
export function parseGrid(text: string): SearchSpace {
  const space: SearchSpace = {};
  for (const part of text.split(";").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid --grid entry '${part}'`, { hint: 'Use "name=v1,v2;other=v3,v4".' });
    }
    const values = part.slice(eq + 1).split(",").map((v) => v.trim()).filter(Boolean).map(parseParamValue);
    if (values.length === 0) throw new LarderError("INVALID_PARAMETER_VALUE", `--grid entry '${part}' has no values`);
    space[part.slice(0, eq).trim()] = values;
  }
  if (Object.keys(space).length === 0) throw new LarderError("INVALID_PARAMETER_VALUE", "--grid is empty");
  return space;
}

/** Every combination of the space, the last parameter varying fastest. */
export function gridTrials(space: SearchSpace): Array<Record<string, ParamValue>> {
  let trials: Array<Record<string, ParamValue>> = [{}];
  for (const [name, values] of Object.entries(space)) {
    trials = trials.flatMap((t) => values.map((v) => ({ ...t, [name]: v })));
  }
  return trials;
}

/** `count` distinct combinations drawn with a seeded generator (all of them when fewer exist). */
export function randomTrials(space: SearchSpace, count: number, seed: number): Array<Record<string, ParamValue>> {
  const all = gridTrials(space);
  const rng = new SeededRandom(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, Math.min(count, all.length));
}
