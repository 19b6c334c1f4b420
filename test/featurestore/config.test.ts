import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/featurestore/config.js";
import { LarderError } from "../../src/errors.js";

async function problems(yaml: string): Promise<string> {
  try {
    await parseRepoConfig(yaml, "/repo");
  } catch (err) {
    expect(err).toBeInstanceOf(LarderError);
    expect((err as LarderError).code).toBe("CONFIG_ERROR");
    return (err as Error).message;
  }
  throw new Error("expected a config error");
}

describe("feature_store.yaml", () => {
  it("reads Feast's keys, resolves paths against the repo, and applies defaults", async () => {
    const config = await parseRepoConfig(
      "project: activity\nregistry: data/registry.json\nprovider: local\noffline_store:\n  type: duckdb\nonline_store:\n  type: lmdb\n  path: data/online.lmdb\nentity_key_serialization_version: 3\nauth:\n  type: no_auth\n",
      "/repo",
    );
    expect(config).toMatchObject({
      project: "activity",
      registryPath: "/repo/data/registry.json",
      offlineStore: { type: "duckdb" },
      onlineStore: { type: "lmdb", path: "/repo/data/online.lmdb" },
      entityKeySerializationVersion: 3,
    });
    const minimal = await parseRepoConfig("project: p\nregistry:\n  path: /abs/registry.json\n", "/repo");
    expect(minimal.onlineStore).toEqual({ type: "lmdb", path: "/repo/data/online_store.lmdb" });
    expect(minimal.registryPath).toBe("/abs/registry.json");
  });

  it("expands ${VAR} as Feast does", async () => {
    process.env.LARDER_TEST_PROJECT = "from_env";
    const config = await parseRepoConfig("project: ${LARDER_TEST_PROJECT}\nregistry: r.json\n", "/repo");
    expect(config.project).toBe("from_env");
  });

  it("collects every problem with dotted paths and suggests the nearest key", async () => {
    const message = await problems(
      "projct: p\nregistry: r.json\nprovider: gcp\nonline_store:\n  type: lmdb\n  pth: x\noffline_store:\n  type: bigquery\nentity_key_serialization_version: 2\n",
    );
    expect(message).toContain("projct: unknown key (did you mean project?)");
    expect(message).toContain("project: required");
    expect(message).toContain('provider: "gcp" is not supported; valid providers: local');
    expect(message).toContain("online_store.pth: unknown key (did you mean path?)");
    expect(message).toContain('offline_store.type: "bigquery" is not supported');
    expect(message).toContain("entity_key_serialization_version: only 3 is supported");
  });

  it("names the valid online store types for an unknown one", async () => {
    const message = await problems("project: p\nregistry: r.json\nonline_store:\n  type: sqlite\n  path: data/online_store.db\n");
    expect(message).toContain('online_store.type: "sqlite" is not supported; valid types: lmdb');
    expect(await problems("project: p\nregistry: r.json\nonline_store:\n  type: lmbd\n")).toContain("(did you mean lmdb?)");
  });

  it("requires a registry and a valid project name, and rejects non-mappings and bad YAML", async () => {
    expect(await problems("project: p\n")).toContain("registry: required");
    expect(await problems("project: -bad\nregistry: r.json\n")).toContain("project: must be letters");
    expect(await problems("- a\n- b\n")).toContain("must be a mapping");
    await expect(parseRepoConfig("project: [unclosed\n", "/repo")).rejects.toThrow(/not valid YAML/);
  });
});
