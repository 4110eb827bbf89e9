#!/usr/bin/env node
// The `iam-edge` command on Node, Bun and Deno (`deno run -A bin/iam-edge.mjs …`): adapts the
// runtime's argv, environment and streams to the runtime-neutral CLI in dist/cli.
import { runCli } from '../dist/cli/run.js'

const deno = globalThis.Deno
const io = deno
  ? {
      argv: deno.args,
      env: deno.env.toObject(),
      stdout: (t) => deno.stdout.writeSync(new TextEncoder().encode(t)),
      stderr: (t) => deno.stderr.writeSync(new TextEncoder().encode(t)),
      stderrIsTTY: deno.stderr.isTerminal(),
    }
  : {
      argv: process.argv.slice(2),
      env: process.env,
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      stderrIsTTY: Boolean(process.stderr.isTTY),
    }

const code = await runCli(io)
if (deno) deno.exit(code)
else process.exitCode = code
