import { randomBytes, randomInt, randomUUID } from "node:crypto";

/** A run id as MLflow makes it: a random UUID4 as 32 lowercase hex characters. */
export function newRunId(): string {
  return randomUUID().replaceAll("-", "");
}

/**
 * An experiment id as MLflow's file store makes it: the last 18 decimal digits of a random
 * 128-bit number, with one random digit appended per leading zero so it still has 18 significant
 * digits. Random ids let several processes create experiments without coordinating.
 */
export function newExperimentId(): string {
  const big = BigInt(`0x${randomBytes(16).toString("hex")}`);
  const last18 = (big % 10n ** 18n).toString().padStart(18, "0");
  const stripped = last18.replace(/^0+/, "");
  let id = stripped;
  for (let i = 0; i < 18 - stripped.length; i++) id += String(randomInt(stripped.length + i === 0 ? 1 : 0, 10));
  return id;
}

// Larder's own word lists (not MLflow's); only the `<adjective>-<noun>-<n>` shape matters.
const ADJECTIVES = [
  "able", "agile", "amber", "bold", "brave", "bright", "brisk", "calm", "clever", "cool", "crisp", "daring",
  "eager", "fair", "fast", "fierce", "gentle", "glad", "golden", "grand", "happy", "keen", "kind", "lively",
  "lucky", "merry", "mighty", "neat", "nimble", "noble", "polite", "proud", "quick", "quiet", "rare", "sharp",
  "shy", "silent", "sleek", "smart", "steady", "sunny", "swift", "tidy", "vivid", "warm", "wise", "witty",
];
const NOUNS = [
  "ant", "ape", "bat", "bear", "bee", "bird", "boar", "cat", "colt", "crab", "crow", "deer", "dog", "dove",
  "duck", "eel", "elk", "finch", "fish", "fox", "frog", "gnat", "goat", "hare", "hawk", "hen", "jay", "koi",
  "lark", "lion", "lynx", "mole", "moth", "mule", "newt", "owl", "ox", "pig", "pony", "ram", "rat", "seal",
  "slug", "swan", "toad", "vole", "wasp", "wolf", "wren", "yak",
];

/** A run name like MLflow's generated ones (`bold-fox-123`), at most 20 characters. */
export function generateRunName(): string {
  for (let attempt = 0; attempt < 10; attempt++) {
    const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1001)}`;
    if (name.length <= 20) return name;
  }
  return `${ADJECTIVES[0]}-${NOUNS[0]}-${randomInt(1001)}`.slice(0, 20);
}
