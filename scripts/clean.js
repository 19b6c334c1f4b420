#!/usr/bin/env node
// Removes build output so files deleted from src/ do not linger in dist/.
import { rmSync } from "node:fs";

for (const dir of process.argv.slice(2)) rmSync(dir, { recursive: true, force: true });
