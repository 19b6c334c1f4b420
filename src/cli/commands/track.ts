import { spawn } from "node:child_process";
import type { Command } from "commander";
import { LarderError, UsageError } from "../../errors.js";
import { handle, parseChoice, parseIntegerOption, type RunState } from "../action.js";
import type { CliContext } from "../context.js";
import { trackingUriFrom } from "../trackingOption.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `k=v` pairs from repeated `--tag`/`--param` options. */
export function keyValues(pairs: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`${flag} expects KEY=VALUE, got '${pair}'`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function trackingOf(ctx: CliContext, opts: Record<string, unknown>, command: Command): { trackingUri: string } {
  const inherited = command.optsWithGlobals() as { trackingUri?: string };
  return { trackingUri: trackingUriFrom(ctx, opts.trackingUri ?? inherited.trackingUri) };
}

const RUN_STATUSES = ["FINISHED", "FAILED", "KILLED"] as const;

export function registerTrack(program: Command, state: RunState): void {
  const track = program
    .command("track")
    .description("experiment tracking in MLflow's mlruns/ layout: runs, params, metrics, tags, artifacts, search")
    .option("--tracking-uri <uri>", "tracking store (default: MLFLOW_TRACKING_URI, else ./mlruns)");
  const lib = () => import("../../tracking/index.js");
  const action = (command: Command, fn: (ctx: CliContext, args: string[], opts: Record<string, unknown>, tracking: { trackingUri: string }) => Promise<number | void>) =>
    command.action(handle(state, (ctx, args, opts) => fn(ctx, args, opts, trackingOf(ctx, opts, command))));

  const experiments = track.command("experiments").description("list, create and delete experiments");
  action(experiments.command("list").description("list experiments").option("--all", "include deleted experiments"), async (ctx, _a, opts, tracking) => {
    const { listExperiments } = await lib();
    const list = await listExperiments({ ...tracking, viewType: opts.all ? "ALL" : "ACTIVE_ONLY" });
    const table = await ctx.table(["id", "name", "lifecycle", "artifact location"], list.map((e) => [e.experimentId, e.name, e.lifecycleStage, e.artifactLocation]));
    ctx.result(list, () => table);
  });
  action(experiments.command("create").description("create an experiment").argument("<name>"), async (ctx, [name], _o, tracking) => {
    const { createExperiment } = await lib();
    const id = await createExperiment(name!, tracking);
    ctx.result({ experimentId: id, name }, () => `Created experiment '${name}' with id ${id}`);
  });
  action(experiments.command("delete").description("delete an experiment (moved to .trash)").argument("<name-or-id>"), async (ctx, [ref], _o, tracking) => {
    const { deleteExperiment, getExperimentByName } = await lib();
    const experiment = await getExperimentByName(ref!, tracking);
    const id = experiment?.experimentId ?? ref!;
    await deleteExperiment(id, tracking);
    ctx.result({ experimentId: id, deleted: true }, () => `Deleted experiment ${id}`);
  });

  action(
    track
      .command("start")
      .description("start a run and print its id (for scripts: log to it, then `track end`)")
      .option("--experiment <name>", "experiment name (created if new; default: Default)")
      .option("--name <run-name>", "run name")
      .option("--parent <run-id>", "make it a nested run of this run")
      .option("--description <text>", "run description")
      .option("--tag <key=value>", "tag (repeat)", collect),
    async (ctx, _a, opts, tracking) => {
      const { startRun } = await lib();
      const run = await startRun({
        ...tracking,
        ...(opts.experiment ? { experimentName: opts.experiment as string } : {}),
        ...(opts.name ? { runName: opts.name as string } : {}),
        ...(opts.parent ? { parentRunId: opts.parent as string } : {}),
        ...(opts.description ? { description: opts.description as string } : {}),
        tags: keyValues(opts.tag as string[] | undefined, "--tag"),
      });
      ctx.result(run.info, (info) => info.runId);
    },
  );
  action(track.command("log-param").description("log a parameter").argument("<run-id>").argument("<key>").argument("<value>"), async (ctx, [run, key, value], _o, tracking) => {
    await (await lib()).logParam(run!, key!, value!, tracking);
    ctx.result({ runId: run, key, value }, () => "");
  });
  action(
    track
      .command("log-metric")
      .description("log a metric value (appended to its history)")
      .argument("<run-id>")
      .argument("<key>")
      .argument("<value>")
      .option("--step <n>", "step", parseIntegerOption("--step"), 0),
    async (ctx, [run, key, value], opts, tracking) => {
      const number = Number(value);
      if (value!.trim() === "" || (Number.isNaN(number) && value!.toLowerCase() !== "nan")) throw new UsageError(`Metric value must be a number, got '${value}'`);
      await (await lib()).logMetric(run!, key!, number, { ...tracking, step: opts.step as number });
      ctx.result({ runId: run, key, value: number, step: opts.step }, () => "");
    },
  );
  action(track.command("set-tag").description("set a tag").argument("<run-id>").argument("<key>").argument("<value>"), async (ctx, [run, key, value], _o, tracking) => {
    await (await lib()).setTag(run!, key!, value!, tracking);
    ctx.result({ runId: run, key, value }, () => "");
  });
  action(
    track
      .command("log-artifact")
      .description("copy a file or folder into the run's artifacts")
      .argument("<run-id>")
      .argument("<path>")
      .option("--artifact-path <dir>", "folder inside the run's artifacts"),
    async (ctx, [run, path], opts, tracking) => {
      const { logArtifact, logArtifacts } = await lib();
      const { stat } = await import("node:fs/promises");
      const local = ctx.resolvePath(path!);
      const isDir = (await stat(local).catch(() => {
        throw new LarderError("RESOURCE_DOES_NOT_EXIST", `No such file or folder: ${path}`);
      })).isDirectory();
      const options = { ...tracking, ...(opts.artifactPath ? { artifactPath: opts.artifactPath as string } : {}) };
      if (isDir) await logArtifacts(run!, local, options);
      else await logArtifact(run!, local, options);
      ctx.result({ runId: run, path: local }, () => "");
    },
  );
  action(
    track
      .command("end")
      .description("end a run")
      .argument("<run-id>")
      .option("--status <status>", "FINISHED, FAILED or KILLED", parseChoice("--status", RUN_STATUSES), "FINISHED"),
    async (ctx, [run], opts, tracking) => {
      const info = await (await lib()).endRun(run!, opts.status as (typeof RUN_STATUSES)[number], tracking);
      ctx.result(info, (i) => `Run ${i.runId} ${i.status}`);
    },
  );
  action(
    track
      .command("exec")
      .description("run a command as a tracked run: MLFLOW_RUN_ID set, exit status and output logged, exit code passed through")
      .option("--experiment <name>", "experiment name (created if new)")
      .option("--name <run-name>", "run name")
      .option("--tag <key=value>", "tag (repeat)", collect)
      .argument("<command...>", "the command and its arguments, after --"),
    async (ctx, command, opts, tracking) => {
      const { startRun, logText, logMetrics, logParam, endRun } = await lib();
      const run = await startRun({
        ...tracking,
        ...(opts.experiment ? { experimentName: opts.experiment as string } : {}),
        ...(opts.name ? { runName: opts.name as string } : {}),
        tags: keyValues(opts.tag as string[] | undefined, "--tag"),
      });
      const runId = run.info.runId;
      ctx.info(`Run ${runId}: ${command.join(" ")}`);
      await logParam(runId, "command", command.join(" "), tracking);
      const started = performance.now();
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const code = await new Promise<number>((resolve) => {
        const child = spawn(command[0]!, command.slice(1), {
          cwd: ctx.io.cwd,
          env: { ...process.env, ...ctx.io.env, MLFLOW_RUN_ID: runId, MLFLOW_TRACKING_URI: tracking.trackingUri, MLFLOW_EXPERIMENT_ID: run.info.experimentId },
          stdio: ["ignore", "pipe", "pipe"],
        });
        child.stdout.on("data", (d: Buffer) => {
          stdout.push(d);
          ctx.io.stdout.write(d.toString());
        });
        child.stderr.on("data", (d: Buffer) => {
          stderr.push(d);
          ctx.io.stderr.write(d.toString());
        });
        child.on("error", (err) => {
          stderr.push(Buffer.from(`${err.message}\n`));
          resolve(127);
        });
        child.on("close", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
      });
      const seconds = (performance.now() - started) / 1000;
      await logText(runId, Buffer.concat(stdout), "stdout.txt", tracking);
      await logText(runId, Buffer.concat(stderr), "stderr.txt", tracking);
      await logMetrics(runId, { exit_code: code, duration_seconds: seconds }, tracking);
      await endRun(runId, code === 0 ? "FINISHED" : "FAILED", tracking);
      ctx.info(`Run ${runId} ${code === 0 ? "FINISHED" : "FAILED"} (exit ${code}, ${seconds.toFixed(1)} s)`);
      return code;
    },
  );

  action(
    track
      .command("run")
      .description("train a LightGBM model with Larder's booster and log params, metrics, plots and the model in one run")
      .requiredOption("--experiment <name>", "experiment name (created if new)")
      .option("--name <run-name>", "run name")
      .option("--train <file>", "training rows (.csv or .parquet); or use --feature-service with --entities")
      .option("--valid <file>", "validation rows (default: hold out --valid-fraction of --train)")
      .option("--valid-fraction <share>", "share of --train held out for validation", (v) => Number(v), 0.2)
      .requiredOption("--label <column>", "label column")
      .option("--features <list>", "comma-separated feature columns (default: numeric and text columns except ids and timestamps)")
      .option("--feature-service <name>", "train on a feature service's features, joined point-in-time to --entities")
      .option("--feature-repo <dir>", "feature repo of --feature-service", ".")
      .option("--entities <file>", "entity rows with keys, timestamp and label, for --feature-service")
      .option("--param <key=value>", "LightGBM parameter (repeat), e.g. num_leaves=31", collect)
      .option("--search <mode>", "grid or random search over --grid, one nested run per trial", parseChoice("--search", ["grid", "random"] as const))
      .option("--grid <space>", `search space, e.g. "num_leaves=15,31,63;learning_rate=0.05,0.1"`)
      .option("--trials <n>", "trials of a random search", parseIntegerOption("--trials", 1), 10)
      .option("--tag <key=value>", "tag (repeat)", collect)
      .option("--expectations <file>", "validate the training data against these expectations (YAML) first; stop if any fails"),
    async (ctx, _a, opts, tracking) => {
      const models = await import("../../models/index.js");
      if (opts.search && !opts.grid) throw new UsageError("--search needs --grid", { hint: 'e.g. --grid "num_leaves=15,31,63;learning_rate=0.05,0.1"' });
      if (opts.grid && !opts.search) throw new UsageError("--grid needs --search grid or --search random");
      if (opts.valid && opts.validFraction !== 0.2) throw new UsageError("Give either --valid or --valid-fraction, not both");
      if (opts.featureService ? !opts.entities || opts.train : !opts.train) {
        throw new UsageError("Give either --train FILE or --feature-service NAME with --entities FILE", { hint: "e.g. --feature-service activity_model_v1 --feature-repo feature_repo --entities data/activity_labels.parquet" });
      }
      const params = Object.fromEntries(Object.entries(keyValues(opts.param as string[] | undefined, "--param")).map(([k, v]) => [k, models.parseParamValue(v)]));
      const runOptions = {
        ...tracking,
        experiment: opts.experiment as string,
        ...(opts.name ? { runName: opts.name as string } : {}),
        train: opts.train ? ctx.resolvePath(opts.train as string) : "",
        ...(opts.featureService
          ? { featureService: { name: opts.featureService as string, repoDir: ctx.resolvePath(opts.featureRepo as string), entities: ctx.resolvePath(opts.entities as string) } }
          : {}),
        ...(opts.valid ? { valid: ctx.resolvePath(opts.valid as string) } : { validFraction: opts.validFraction as number }),
        label: opts.label as string,
        ...(typeof opts.features === "string" ? { features: opts.features.split(",").map((f) => f.trim()).filter(Boolean) } : {}),
        params,
        ...(opts.search ? { search: { mode: opts.search as "grid" | "random", space: models.parseGrid(opts.grid as string), trials: opts.trials as number } } : {}),
        tags: keyValues(opts.tag as string[] | undefined, "--tag"),
        ...(opts.expectations ? { expectations: ctx.resolvePath(opts.expectations as string) } : {}),
      };
      const planned = models.plannedRounds(runOptions);
      // Training runs synchronously, so the bar must exist before it starts.
      const bar = await ctx.progress(planned.length > 1 ? `${planned.length} trials` : "boosting", planned.reduce((a, b) => a + b, 0), "rounds");
      const result = await models.trainRun({ ...runOptions, onProgress: (p) => bar.update(p.done) });
      bar.stop();
      const lines = [
        `Run ${result.runId} (${result.runName}) in experiment ${result.experimentId}`,
        `  accuracy ${result.metrics.accuracy?.toFixed(4)}  f1_macro ${result.metrics.f1_macro?.toFixed(4)}  logloss ${result.metrics.logloss?.toFixed(4)}`,
        ...(result.bestRunId ? [`  best of ${result.children.length} trials: ${result.bestRunId} ${JSON.stringify(result.params)}`] : []),
        `  model: ${result.modelUri}`,
      ];
      ctx.result(result, () => lines.join("\n"));
    },
  );

  const searchOptions = (command: Command) =>
    command
      .option("--experiment <name>", "experiment name (repeat; default: Default)", collect)
      .option("--filter <expr>", `MLflow filter, e.g. "metrics.f1_macro > 0.8 and params.num_leaves = '31'"`)
      .option("--order-by <clause>", `e.g. "metrics.f1_macro DESC" (repeat)`, collect)
      .option("--max-results <n>", "at most this many runs", parseIntegerOption("--max-results", 1, 50_000), 1000)
      .option("--columns <list>", "comma-separated columns: metrics.x, params.y, tags.z, run_name, status, start_time");
  const runSearch = async (ctx: CliContext, args: string[], opts: Record<string, unknown>, tracking: { trackingUri: string }) => {
    const { searchRuns, getRun } = await lib();
    const { renderRunTable, renderRunComparison } = await import("../render/runTable.js");
    if (args.length > 0) {
      const runs = await Promise.all(args.map((id) => getRun(id, tracking)));
      const text = await renderRunComparison(ctx, runs);
      ctx.result(runs, () => text);
      return;
    }
    const names = opts.experiment as string[] | undefined;
    const result = await searchRuns({
      ...tracking,
      ...(names ? { experimentNames: names } : {}),
      ...(opts.filter ? { filter: opts.filter as string } : {}),
      ...(opts.orderBy ? { orderBy: opts.orderBy as string[] } : {}),
      maxResults: opts.maxResults as number,
    });
    const columns = typeof opts.columns === "string" ? opts.columns.split(",").map((c) => c.trim()).filter(Boolean) : undefined;
    const text = await renderRunTable(ctx, result.runs, columns ? { columns } : {});
    ctx.result(result.runs, () => text);
  };
  action(searchOptions(track.command("search").description("search runs with MLflow's filter and order-by syntax")), runSearch);
  action(
    searchOptions(
      track
        .command("compare")
        .description("rank runs (best value per metric marked, nested runs under parents), or compare given runs side by side")
        .argument("[run-ids...]", "runs to compare side by side"),
    ),
    runSearch,
  );
  action(track.command("show").description("show a run: info, params, metrics, tags, artifacts").argument("<run-id>"), async (ctx, [id], _o, tracking) => {
    const { getRun, listArtifacts } = await lib();
    const run = await getRun(id!, tracking);
    const artifacts = await listArtifacts(id!, tracking);
    const section = async (title: string, entries: Record<string, string | number>) =>
      Object.keys(entries).length === 0 ? "" : `${title}\n${await ctx.table(["key", "value"], Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)))}\n`;
    const text = [
      `Run ${run.info.runId} (${run.info.runName}) in experiment ${run.info.experimentId}: ${run.info.status}`,
      `artifacts: ${run.info.artifactUri}`,
      await section("params", run.data.params),
      await section("metrics", run.data.metrics),
      await section("tags", run.data.tags),
      artifacts.length ? `artifacts\n${artifacts.map((a) => `  ${a.path}${a.isDir ? "/" : ""}`).join("\n")}` : "",
    ]
      .filter(Boolean)
      .join("\n");
    ctx.result({ ...run, artifacts }, () => text);
  });
}
