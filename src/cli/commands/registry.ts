import type { Command } from "commander";
import { handle, type RunState } from "../action.js";
import type { CliContext } from "../context.js";
import { trackingUriFrom } from "../trackingOption.js";
import type { ModelVersion } from "../../registry/index.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function versionRow(v: ModelVersion): (string | number)[] {
  return [v.name, v.version, v.currentStage, v.aliases.join(", "), v.runId ?? "", new Date(v.creationTimestamp).toISOString().slice(0, 19).replace("T", " ")];
}
const VERSION_HEADER = ["model", "version", "stage", "aliases", "run", "created"];

export function registerRegistry(program: Command, state: RunState): void {
  const registry = program
    .command("registry")
    .description("model registry, MLflow-compatible: versions, stages, aliases, promotion gates, rollback")
    .option("--tracking-uri <uri>", "tracking store holding the registry (default: MLFLOW_TRACKING_URI, else ./mlruns)");
  const open = async (ctx: CliContext, command: Command) => {
    const { getModelRegistry } = await import("../../registry/index.js");
    const inherited = command.optsWithGlobals() as { trackingUri?: string };
    return getModelRegistry(trackingUriFrom(ctx, inherited.trackingUri));
  };
  const action = (command: Command, fn: (ctx: CliContext, args: string[], opts: Record<string, unknown>) => Promise<number | void>) =>
    command.action(handle(state, fn));

  const register = registry
    .command("register")
    .description("register a model as the next version of NAME (the model is created if new)")
    .argument("<model-uri>", "runs:/RUN/model, a model folder, or models:/…")
    .argument("<name>")
    .option("--description <text>")
    .option("--tag <key=value>", "version tag (repeat)", collect);
  action(register, async (ctx, [uri, name], opts) => {
    const { keyValues } = await import("./track.js");
    const r = await open(ctx, register);
    const version = await r.registerModel(uri!, name!, {
      ...(opts.description ? { description: opts.description as string } : {}),
      tags: keyValues(opts.tag as string[] | undefined, "--tag"),
    });
    ctx.result(version, (v) => `Registered model '${v.name}' version ${v.version} (source ${v.source})`);
  });

  const transition = registry
    .command("transition")
    .description("move a version to a stage: None, Staging, Production or Archived")
    .argument("<name>")
    .argument("<version>")
    .argument("<stage>")
    .option("--archive-existing", "archive the versions currently in the target stage")
    .option("--require <expr>", `promotion gate on the version's run, e.g. "metrics.f1_macro >= 0.9" (repeat)`, collect);
  action(transition, async (ctx, [name, version, stage], opts) => {
    const r = await open(ctx, transition);
    const v = await r.transitionModelVersionStage(name!, version!, stage!, {
      archiveExisting: opts.archiveExisting === true,
      ...(opts.require ? { require: opts.require as string[] } : {}),
    });
    ctx.result(v, (x) => `Model '${x.name}' version ${x.version} is now in stage ${x.currentStage}`);
  });

  const alias = registry.command("alias").description("point ALIAS at a version").argument("<name>").argument("<alias>").argument("<version>");
  action(alias, async (ctx, [name, a, version]) => {
    await (await open(ctx, alias)).setRegisteredModelAlias(name!, a!, version!);
    ctx.result({ name, alias: a, version: Number(version) }, () => `models:/${name}@${a} -> version ${version}`);
  });
  const unalias = registry.command("unalias").description("remove an alias").argument("<name>").argument("<alias>");
  action(unalias, async (ctx, [name, a]) => {
    await (await open(ctx, unalias)).deleteRegisteredModelAlias(name!, a!);
    ctx.result({ name, alias: a, deleted: true }, () => `Removed alias ${a} of '${name}'`);
  });

  const list = registry.command("list").description("list registered models and their latest versions per stage");
  action(list, async (ctx) => {
    const models = await (await open(ctx, list)).listRegisteredModels();
    const table = await ctx.table(
      ["model", "latest versions", "aliases", "updated"],
      models.map((m) => [
        m.name,
        m.latestVersions.map((v) => `v${v.version} ${v.currentStage}`).join(", "),
        Object.entries(m.aliases).map(([a, v]) => `${a}=v${v}`).join(", "),
        new Date(m.lastUpdatedTimestamp).toISOString().slice(0, 19).replace("T", " "),
      ]),
    );
    ctx.result(models, () => (models.length ? table : "No registered models."));
  });

  const describe = registry.command("describe").description("show a registered model and its versions").argument("<name>").option("--version <v>", "one version only");
  action(describe, async (ctx, [name], opts) => {
    const r = await open(ctx, describe);
    if (opts.version !== undefined) {
      const v = await r.getModelVersion(name!, opts.version as string);
      const history = await r.getStageHistory(name!, v.version);
      const table = await ctx.table(VERSION_HEADER, [versionRow(v)]);
      ctx.result({ ...v, stageHistory: history }, () => `${table}\nsource: ${v.source}${Object.keys(v.tags).length ? `\ntags: ${JSON.stringify(v.tags)}` : ""}`);
      return;
    }
    const model = await r.getRegisteredModel(name!);
    const versions = await r.listModelVersions(name!);
    const table = await ctx.table(VERSION_HEADER, versions.map(versionRow));
    ctx.result({ ...model, versions }, () => `${model.name}${model.description ? `: ${model.description}` : ""}\n${table}`);
  });

  const setTag = registry
    .command("set-tag")
    .description("tag a registered model, or a version with --version")
    .argument("<name>")
    .argument("<key>")
    .argument("<value>")
    .option("--version <v>");
  action(setTag, async (ctx, [name, key, value], opts) => {
    const r = await open(ctx, setTag);
    if (opts.version !== undefined) await r.setModelVersionTag(name!, opts.version as string, key!, value!);
    else await r.setRegisteredModelTag(name!, key!, value!);
    ctx.result({ name, version: opts.version ?? null, key, value }, () => "");
  });

  const deleteVersion = registry.command("delete-version").description("delete a model version").argument("<name>").argument("<version>");
  action(deleteVersion, async (ctx, [name, version]) => {
    await (await open(ctx, deleteVersion)).deleteModelVersion(name!, version!);
    ctx.result({ name, version: Number(version), deleted: true }, () => `Deleted model '${name}' version ${version}`);
  });

  const rollback = registry.command("rollback").description("put the previous Production version back in Production and archive the current one").argument("<name>");
  action(rollback, async (ctx, [name]) => {
    const result = await (await open(ctx, rollback)).rollback(name!);
    ctx.result(result, (r) => `Model '${name}': version ${r.restored.version} is back in Production${r.archived.length ? `; archived ${r.archived.map((v) => `version ${v.version}`).join(", ")}` : ""}`);
  });
}
