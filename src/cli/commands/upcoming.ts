import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { handle, type RunState } from "../action.js";

interface Upcoming {
  description: string;
  commands: string;
}

/** Command groups whose issues have not landed yet: they say what is coming and exit 2. */
const UPCOMING: Record<string, Upcoming> = {
  fs: {
    description: "feature store, Feast-compatible: definitions as code, apply, materialize, historical and online features",
    commands: "apply, plan, materialize, materialize-incremental, get-historical, get-online, serve, list",
  },
  track: {
    description: "experiment tracking in MLflow's mlruns/ layout: runs, params, metrics, artifacts, search",
    commands: "run, start, log-param, log-metric, set-tag, log-artifact, end, exec, compare, search, show, experiments",
  },
  registry: {
    description: "model registry, MLflow-compatible: versions, stages, aliases, promotion gates, rollback",
    commands: "register, transition, alias, unalias, list, describe, set-tag, delete-version, rollback",
  },
  serve: {
    description: "serve a model with MLflow's scoring protocol, online features, traffic splits and prediction logs",
    commands: "serve -m MODEL_URI [-p PORT] [--feature-repo DIR] [--variant NAME=URI:WEIGHT]",
  },
  predict: {
    description: "batch predictions from a LightGBM model over CSV or Parquet",
    commands: "predict -m MODEL -i INPUT -o OUTPUT [--raw-score|--pred-leaf|--pred-contrib]",
  },
};

export function registerUpcoming(program: Command, state: RunState, groups: readonly string[] = Object.keys(UPCOMING)): void {
  for (const name of groups) {
    const upcoming = UPCOMING[name];
    if (!upcoming) continue;
    program
      .command(name)
      .description(`${upcoming.description} (coming soon)`)
      .argument("[args...]")
      .allowUnknownOption()
      .addHelpText("after", `\nComing: ${upcoming.commands}\n`)
      .action(
        handle(state, async () => {
          throw new UsageError(`larder ${name} is not available in this version yet`, {
            hint: `Coming: ${upcoming.commands}. Run larder --help for what works today.`,
          });
        }),
      );
  }
}
