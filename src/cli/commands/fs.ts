import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { FeatureStore, MaterializedView } from "../../featurestore/index.js";
import { handle, type RunState } from "../action.js";
import type { CliContext } from "../context.js";
import { registerFsServe } from "./fsServe.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const LIST_KINDS = ["entities", "feature-views", "feature-services", "on-demand-feature-views", "data-sources"] as const;

/** `--features a:x,b:y` (repeatable) or `--feature-service NAME`: exactly one. */
function featureChoice(opts: Record<string, unknown>): { features: string[] } | { featureService: string } {
  const features = ((opts.features as string[] | undefined) ?? []).flatMap((f) => f.split(",")).map((f) => f.trim()).filter(Boolean);
  const service = opts.featureService as string | undefined;
  if ((features.length > 0) === (service !== undefined)) {
    throw new UsageError("Give either --features VIEW:FEATURE,… or --feature-service NAME", { hint: "e.g. --feature-service activity_model_v1" });
  }
  return service !== undefined ? { featureService: service } : { features };
}

/** `--entity participant_id=3 --entity participant_id=4` → `{participant_id: [3, 4]}`; numbers stay numbers. */
function entityColumns(pairs: readonly string[]): Record<string, unknown[]> {
  const columns: Record<string, unknown[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--entity expects KEY=VALUE, got '${pair}'`);
    const value = pair.slice(eq + 1);
    (columns[pair.slice(0, eq)] ??= []).push(/^-?\d+$/.test(value) ? Number(value) : /^-?\d*\.\d+$/.test(value) ? Number(value) : value);
  }
  const lengths = new Set(Object.values(columns).map((c) => c.length));
  if (lengths.size > 1) throw new UsageError("Every --entity key needs the same number of values (one per entity row)");
  return columns;
}

/** What a materialization did, per view, for JSON and text output. */
function materializedSummary(views: readonly MaterializedView[]) {
  const iso = (micros: number | bigint) => new Date(Number(micros) / 1000).toISOString();
  return views.map((v) => ({ view: v.view.name, start: iso(v.startMicros), end: iso(v.endMicros), rows: v.rows, written: v.written }));
}

export function registerFs(program: Command, state: RunState): void {
  const fs = program
    .command("fs")
    .description("feature store, Feast-compatible: definitions as code, apply, materialize, historical and online features")
    .option("-c, --chdir <dir>", "feature repo folder (default: the current folder)")
    .option("-f, --feature-store-yaml <path>", "feature_store.yaml elsewhere than in the repo");

  const withStore = (command: Command, fn: (ctx: CliContext, store: FeatureStore, args: string[], opts: Record<string, unknown>) => Promise<number | void>) =>
    command.action(
      handle(state, async (ctx, args, opts) => {
        const globals = command.optsWithGlobals() as { chdir?: string; featureStoreYaml?: string };
        const { FeatureStore } = await import("../../featurestore/index.js");
        const store = await FeatureStore.open(ctx.resolvePath(globals.chdir ?? "."), {
          ...(globals.featureStoreYaml ? { configPath: ctx.resolvePath(globals.featureStoreYaml) } : {}),
        });
        try {
          return await fn(ctx, store, args, opts);
        } finally {
          await store.close();
        }
      }),
    );

  withStore(fs.command("plan").description("show what apply would change, without changing anything").option("--skip-source-validation", "do not read the sources"), async (ctx, store, _a, opts) => {
    const result = await store.plan({ skipSourceValidation: opts.skipSourceValidation === true });
    ctx.result(result.plan, () => result.lines.join("\n"));
  });
  withStore(
    fs
      .command("apply")
      .description("register the definitions in features.ts (objects no longer defined are deleted)")
      .option("--skip-source-validation", "do not read the sources")
      .option("--expectations <source=file>", "validate a data source against expectations (YAML) first; nothing is applied if any fails (repeat)", collect),
    async (ctx, store, _a, opts) => {
    for (const pair of (opts.expectations as string[] | undefined) ?? []) {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new UsageError(`--expectations expects SOURCE=FILE, got '${pair}'`, { hint: "e.g. --expectations wearable_events=expectations/events.yaml" });
      const name = pair.slice(0, eq);
      const { specs } = await store.loadDefinitions();
      const source = specs.dataSources.find((d) => d.name === name);
      if (!source) throw new UsageError(`No data source '${name}' in features.ts`, { hint: `Sources: ${specs.dataSources.map((d) => d.name).join(", ")}.` });
      const { validateData } = await import("../../monitoring/index.js");
      const report = await validateData(store.offline.sourcePath(source.type === "file" ? source : source.batchSource), ctx.resolvePath(pair.slice(eq + 1)));
      if (!report.passed) {
        const failed = report.results.filter((r) => !r.passed);
        ctx.io.stderr.write(`${failed.map((r) => `FAIL ${r.expectation}${r.column ? ` ${r.column}` : ""}: expected ${r.expected}, got ${r.observed}`).join("\n")}\n`);
        ctx.result(report, () => `Source ${name} fails ${report.failures} expectation(s); nothing applied.`);
        return 1;
      }
      ctx.info(`Source ${name}: ${report.results.length} expectations met`);
    }
    const result = await store.apply({ skipSourceValidation: opts.skipSourceValidation === true });
    ctx.result(result.plan, () => result.lines.join("\n"));
  });
  withStore(fs.command("teardown").description("delete the online store and the project's registry entries"), async (ctx, store) => {
    await store.teardown();
    ctx.result({ project: store.project, tornDown: true }, () => "");
  });

  const list = fs.command("list").description("list registered objects").argument("<kind>", LIST_KINDS.join("|"));
  withStore(list, async (ctx, store, [kind]) => {
    if (!(LIST_KINDS as readonly string[]).includes(kind!)) throw new UsageError(`Unknown kind '${kind}'`, { hint: `Use one of ${LIST_KINDS.join(", ")}.` });
    let head: string[];
    let rows: (string | number)[][];
    let data: unknown;
    switch (kind) {
      case "entities": {
        const items = await store.listEntities();
        data = items;
        head = ["NAME", "JOIN KEYS", "DESCRIPTION"];
        rows = items.map((e) => [e.name, e.joinKeys.join(", "), e.description ?? ""]);
        break;
      }
      case "feature-views": {
        const items = await store.listFeatureViews();
        data = items;
        head = ["NAME", "ENTITIES", "TTL (s)", "FEATURES", "ONLINE"];
        rows = items.map((v) => [v.name, v.entities.join(", "), v.ttlSeconds, [...v.features.map((f) => f.name), ...v.aggregations.map((a) => a.name)].join(", "), String(v.online)]);
        break;
      }
      case "feature-services": {
        const items = await store.listFeatureServices();
        data = items;
        head = ["NAME", "FEATURES"];
        rows = items.map((s) => [s.name, s.features.map((p) => `${p.view}:${p.features.length ? p.features.join(",") : "*"}`).join(", ")]);
        break;
      }
      case "on-demand-feature-views": {
        const items = await store.listOnDemandFeatureViews();
        data = items;
        head = ["NAME", "SOURCES", "FEATURES"];
        rows = items.map((o) => [o.name, o.sources.join(", "), o.features.map((f) => f.name).join(", ")]);
        break;
      }
      default: {
        const items = await store.listDataSources();
        data = items;
        head = ["NAME", "TYPE", "PATH"];
        rows = items.map((s) => [s.name, s.type === "file" ? "FileSource" : "PushSource", s.type === "file" ? s.path : s.batchSource.path]);
      }
    }
    const table = await ctx.table(head, rows);
    ctx.result(data, () => (rows.length ? table : `No ${kind}.`));
  });
  withStore(fs.command("describe").description("show one registered object").argument("<name>"), async (ctx, store, [name]) => {
    const described = await store.describe(name!);
    const { dumpPythonYaml } = await import("../../tracking/index.js");
    ctx.result(described, (d) => `${d.type} ${name}\n${dumpPythonYaml(JSON.parse(JSON.stringify(d.spec)) as never, { sortKeys: false })}`);
  });

  const progressFor = async (ctx: CliContext) => {
    let bar: Awaited<ReturnType<CliContext["progress"]>> | null = null;
    const pending: Promise<void>[] = [];
    return {
      onBegin: (header: string) => ctx.info(header),
      onViewStart: (view: string, total: number, line: string) => {
        ctx.info(line);
        bar?.stop();
        pending.push(ctx.progress(`  ${view}`, total, "keys").then((b) => void (bar = b)));
      },
      onProgress: (_view: string, done: number) => bar?.update(done),
      finish: async () => {
        await Promise.all(pending);
        (bar as { stop(): void } | null)?.stop();
      },
    };
  };
  const viewsOption = (opts: Record<string, unknown>) =>
    ((opts.views as string[] | undefined) ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);

  withStore(
    fs
      .command("materialize")
      .description("load each view's latest row per entity in [START, END] into the online store")
      .argument("<start>", "ISO time (naive = UTC)")
      .argument("<end>", "ISO time (naive = UTC)")
      .option("-v, --views <names>", "only these views (repeat or comma-separate)", collect),
    async (ctx, store, [start, end], opts) => {
      const progress = await progressFor(ctx);
      const views = viewsOption(opts);
      const result = await store.materialize(start!, end!, { ...progress, ...(views.length ? { views } : {}) });
      await progress.finish();
      ctx.result(materializedSummary(result.views), (views) => views.map((v) => `${v.view}: ${v.written} keys written (${v.rows} in the window)`).join("\n"));
    },
  );
  withStore(
    fs
      .command("materialize-incremental")
      .description("materialize each view from where it last ended (or END - ttl) up to END")
      .argument("<end>", "ISO time (naive = UTC)")
      .option("-v, --views <names>", "only these views (repeat or comma-separate)", collect),
    async (ctx, store, [end], opts) => {
      const progress = await progressFor(ctx);
      const views = viewsOption(opts);
      const result = await store.materializeIncremental(end!, { ...progress, ...(views.length ? { views } : {}) });
      await progress.finish();
      ctx.result(materializedSummary(result.views), (views) => views.map((v) => `${v.view}: ${v.written} keys written (${v.rows} in the window)`).join("\n"));
    },
  );

  withStore(
    fs
      .command("get-historical")
      .description("point-in-time-correct training set: each entity row joined with the feature values known at its time")
      .requiredOption("--entities <file>", "entity rows (.parquet or .csv): join keys, a timestamp, any other columns (labels pass through)")
      .option("--features <refs>", "VIEW:FEATURE,… (repeat)", collect)
      .option("--feature-service <name>", "all features of a feature service")
      .option("--full-feature-names", "name columns VIEW__FEATURE")
      .option("--timestamp-column <name>", "the entity rows' time column (default event_timestamp)")
      .requiredOption("-o, --output <file>", "output (.parquet or .csv)"),
    async (ctx, store, _a, opts) => {
      const spinner = await ctx.spinner("Building the training set");
      const job = await store.getHistoricalFeatures({
        ...featureChoice(opts),
        entities: ctx.resolvePath(opts.entities as string),
        fullFeatureNames: opts.fullFeatureNames === true,
        ...(opts.timestampColumn ? { timestampColumn: opts.timestampColumn as string } : {}),
      } as Parameters<FeatureStore["getHistoricalFeatures"]>[0]);
      try {
        const output = ctx.resolvePath(opts.output as string);
        await job.writeTo(output);
        const { Duck } = await import("../../core/duckdb.js");
        const { tableReader } = await import("../../models/index.js");
        const [stats] = await Duck.with((duck) => duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${tableReader(output)}`));
        spinner.succeed(`Wrote ${stats!.n} rows to ${output}`);
        ctx.result({ output, rows: Number(stats!.n) }, (r) => `${r.rows} rows written to ${r.output}`);
      } catch (err) {
        spinner.fail("Retrieval failed");
        throw err;
      } finally {
        await job.close();
      }
    },
  );

  withStore(
    fs
      .command("get-online")
      .description("latest feature values of entities from the online store (Feast's response with --json)")
      .option("--entity <key=value>", "entity key (repeat; one value per row)", collect)
      .option("--features <refs>", "VIEW:FEATURE,… (repeat)", collect)
      .option("--feature-service <name>", "all features of a feature service")
      .option("--full-feature-names", "name columns VIEW__FEATURE"),
    async (ctx, store, _a, opts) => {
      const entities = (opts.entity as string[] | undefined) ?? [];
      if (entities.length === 0) throw new UsageError("--entity KEY=VALUE is required", { hint: "e.g. --entity participant_id=3" });
      const response = await store.getOnlineFeatures({
        ...featureChoice(opts),
        entityRows: entityColumns(entities),
        fullFeatureNames: opts.fullFeatureNames === true,
      } as Parameters<FeatureStore["getOnlineFeatures"]>[0]);
      if (ctx.flags.json) {
        const { stringifyOnlineResponse } = await import("../../featurestore/index.js");
        ctx.io.stdout.write(`${stringifyOnlineResponse(response, 2)}\n`);
        return;
      }
      const names = response.metadata.feature_names;
      const rows = (response.results[0]?.values ?? []).map((_, r) =>
        names.map((_, k) => {
          const result = response.results[k]!;
          const value = result.values[r];
          const status = result.statuses[r]!;
          if (status === "NOT_FOUND") return status;
          const text = value === null || value === undefined ? "null" : String(value);
          return status === "PRESENT" ? text : `${text} (${status})`;
        }),
      );
      ctx.result(response, () => "");
      ctx.io.stdout.write(`${await ctx.table(names, rows)}\n`);
    },
  );
  registerFsServe(fs, state);
}
