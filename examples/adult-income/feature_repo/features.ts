// Feature definitions for the UCI Adult income classifier, as code (Feast's concepts).
import { Entity, FeatureService, FeatureView, Field, FileSource, Int64, String } from "larder";

export const person = new Entity({
  name: "person",
  joinKeys: ["person_id"],
  description: "One census record of UCI Adult (ids follow adult.data, then adult.test)",
});

// `larder datagen import-adult` stamps every person at 1994-01-01T00:00:00Z, the census snapshot.
const people = new FileSource({
  name: "people",
  path: "../data/people.parquet",
  timestampField: "event_timestamp",
});

/** The census attributes; text columns stay text and the booster treats them as categories. ttl 0: a record never expires. */
export const censusAttributes = new FeatureView({
  name: "census_attributes",
  entities: [person],
  ttl: 0,
  source: people,
  schema: [
    new Field({ name: "age", dtype: Int64 }),
    new Field({ name: "workclass", dtype: String }),
    new Field({ name: "fnlwgt", dtype: Int64 }),
    new Field({ name: "education", dtype: String }),
    new Field({ name: "education_num", dtype: Int64 }),
    new Field({ name: "marital_status", dtype: String }),
    new Field({ name: "occupation", dtype: String }),
    new Field({ name: "relationship", dtype: String }),
    new Field({ name: "race", dtype: String }),
    new Field({ name: "sex", dtype: String }),
    new Field({ name: "capital_gain", dtype: Int64 }),
    new Field({ name: "capital_loss", dtype: Int64 }),
    new Field({ name: "hours_per_week", dtype: Int64 }),
    new Field({ name: "native_country", dtype: String }),
  ],
});

export const incomeModelV1 = new FeatureService({
  name: "income_model_v1",
  features: [censusAttributes],
});
