import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck } from "../../src/core/duckdb.js";
import { importAdult, type AdultSummary } from "../../src/datagen/index.js";
import { hasShared, sharedPath, tempDir } from "../helpers/paths.js";

const ADULT = ["datasets", "adult"];
const hasAdult = hasShared(...ADULT, "adult.data") && hasShared(...ADULT, "adult.test");

describe("importAdult", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  const LINE = "39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, White, Male, 2174, 0, 40, United-States, <=50K";

  it("reads a small file pair: banner skipped, ? as null, periods dropped, ids continued into the test split", async () => {
    const data = join(dir, "small.data");
    const test = join(dir, "small.test");
    await writeFile(data, `${LINE}\n${LINE.replace("State-gov", "?").replace("<=50K", ">50K")}\n\n`);
    await writeFile(test, `|1x3 Cross validator\n${LINE.replace("<=50K", ">50K.")}\n\n`);
    const r = await importAdult({ dataPath: data, testPath: test, outDir: join(dir, "small"), format: "csv" });
    expect(r.rows).toEqual({ people: 3, income_labels: 3 });
    expect(r.splits).toEqual({ train: 2, test: 1 });
    await Duck.with(async (duck) => {
      const labels = await duck.all(`SELECT person_id, income, split FROM '${r.files.income_labels}' ORDER BY person_id`);
      expect(labels).toEqual([
        { person_id: 1n, income: "<=50K", split: "train" },
        { person_id: 2n, income: ">50K", split: "train" },
        { person_id: 3n, income: ">50K", split: "test" },
      ]);
      const people = await duck.all<{ workclass: string | null; age: bigint; native_country: string }>(
        `SELECT workclass, age, native_country FROM '${r.files.people}' ORDER BY person_id`,
      );
      expect(people.map((p) => p.workclass)).toEqual(["State-gov", null, "State-gov"]);
      expect(people[0]).toMatchObject({ age: 39n, native_country: "United-States" });
    });
  });

  it("names the first bad line of a file that is not UCI Adult", async () => {
    const good = join(dir, "good.data");
    await writeFile(good, `${LINE}\n`);
    const shortLines = join(dir, "short.data");
    await writeFile(shortLines, `${LINE}\n39, State-gov, 77516\n`);
    await expect(importAdult({ dataPath: shortLines, testPath: good, outDir: join(dir, "bad") })).rejects.toThrow(/1 data line\(s\) have fewer than 15 fields \(first: data line 2\)/);
    const badLabel = join(dir, "label.data");
    await writeFile(badLabel, LINE.replace("<=50K", "rich"));
    await expect(importAdult({ dataPath: good, testPath: badLabel, outDir: join(dir, "bad") })).rejects.toThrow(/income other than <=50K \/ >50K/);
    const badAge = join(dir, "age.data");
    await writeFile(badAge, LINE.replace("39", "old"));
    await expect(importAdult({ dataPath: badAge, testPath: good, outDir: join(dir, "bad") })).rejects.toThrow(/non-integer age/);
    await expect(importAdult({ dataPath: join(dir, "absent.data"), testPath: good, outDir: join(dir, "bad") })).rejects.toThrow(/File not found/);
  });

  describe.runIf(hasAdult)("on the real UCI files (../shared/datasets/adult)", () => {
    let r: AdultSummary;
    beforeAll(async () => {
      r = await importAdult({ dataPath: sharedPath(...ADULT, "adult.data"), testPath: sharedPath(...ADULT, "adult.test"), outDir: join(dir, "adult") });
    }, 60_000);

    it("keeps 32,561 training and 16,281 test people with distinct ids", async () => {
      expect(r.splits).toEqual({ train: 32561, test: 16281 });
      expect(r.rows).toEqual({ people: 48842, income_labels: 48842 });
      await Duck.with(async (duck) => {
        const [ids] = await duck.all(`SELECT count(DISTINCT person_id) AS n, min(person_id) AS lo, max(person_id) AS hi,
          max(person_id) FILTER (WHERE split = 'train') AS last_train FROM '${r.files.people}'`);
        expect(ids).toEqual({ n: 48842n, lo: 1n, hi: 48842n, last_train: 32561n });
      });
    });

    it("turns ? into null exactly where the datasets README counts them", async () => {
      await Duck.with(async (duck) => {
        const counts = await duck.all(`SELECT split, count(*) FILTER (WHERE workclass IS NULL) AS workclass,
            count(*) FILTER (WHERE occupation IS NULL) AS occupation, count(*) FILTER (WHERE native_country IS NULL) AS native_country,
            count(*) FILTER (WHERE workclass IS NULL OR occupation IS NULL OR native_country IS NULL) AS any_missing,
            count(*) FILTER (WHERE age IS NULL OR education IS NULL OR sex IS NULL OR hours_per_week IS NULL) AS other_missing
          FROM '${r.files.people}' GROUP BY split ORDER BY split`);
        expect(counts).toEqual([
          { split: "test", workclass: 963n, occupation: 966n, native_country: 274n, any_missing: 1221n, other_missing: 0n },
          { split: "train", workclass: 1836n, occupation: 1843n, native_country: 583n, any_missing: 2399n, other_missing: 0n },
        ]);
        const [spaces] = await duck.all(`SELECT count(*) AS n FROM '${r.files.people}' WHERE workclass <> trim(workclass) OR native_country <> trim(native_country)`);
        expect(spaces).toEqual({ n: 0n });
      });
    });

    it("normalises labels to <=50K / >50K with the published class counts", async () => {
      await Duck.with(async (duck) => {
        const classes = await duck.all(`SELECT split, income, count(*) AS n FROM '${r.files.income_labels}' GROUP BY ALL ORDER BY split, income`);
        expect(classes).toEqual([
          { split: "test", income: "<=50K", n: 12435n },
          { split: "test", income: ">50K", n: 3846n },
          { split: "train", income: "<=50K", n: 24720n },
          { split: "train", income: ">50K", n: 7841n },
        ]);
        const [first] = await duck.all(`SELECT person_id, age, workclass, education_num, income, strftime(event_timestamp, '%Y-%m-%d') AS day
          FROM '${r.files.people}' JOIN '${r.files.income_labels}' USING (person_id, split, event_timestamp) WHERE person_id = 32562`);
        // The test file's first record (after the banner).
        expect(first).toEqual({ person_id: 32562n, age: 25n, workclass: "Private", education_num: 7n, income: "<=50K", day: "1994-01-01" });
      });
    });
  });

});
