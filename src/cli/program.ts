import { Command } from "commander";
import type { RunState } from "./action.js";
import { registerDatagen } from "./commands/datagen.js";
import { registerFs } from "./commands/fs.js";
import { registerInit } from "./commands/init.js";
import { registerPredict } from "./commands/predict.js";
import { registerValidate } from "./commands/validate.js";
import { registerMonitor } from "./commands/monitor.js";
import { registerRegistry } from "./commands/registry.js";
import { registerTrack } from "./commands/track.js";
import { registerServe } from "./commands/serve.js";
import { larderVersion } from "./version.js";

/**
 * The command table. Command modules only declare flags and import their domain code lazily in
 * their actions, so building this stays cheap and `larder --help` starts fast.
 */
export function buildProgram(state: RunState): Command {
  const program = new Command("larder");
  program
    .description("Feature store, experiment tracking, model registry and serving on one machine (Feast- and MLflow-compatible)")
    .version(larderVersion(), "-V, --version", "print the version")
    .option("--json", "machine-readable output on stdout")
    .option("--debug", "print stack traces of errors")
    .option("-q, --quiet", "no progress or messages on stderr")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => state.io.stdout.write(text),
      writeErr: (text) => state.io.stderr.write(text),
      // Usage errors are printed by renderError, in the same shape as every other error.
      outputError: () => {},
    });

  registerInit(program, state);
  registerDatagen(program, state);
  registerFs(program, state);
  registerTrack(program, state);
  registerRegistry(program, state);
  registerServe(program, state);
  registerPredict(program, state);
  registerValidate(program, state);
  registerMonitor(program, state);
  return program;
}
