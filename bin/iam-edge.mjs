#!/usr/bin/env node
// The `iam-edge` command on Node, Bun and Deno (`deno run -A bin/iam-edge.mjs …`): adapts the
// runtime's argv, environment and streams to the runtime-neutral CLI in dist/cli.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { runCli } from '../dist/cli/run.js'
// a profile's credential_process, split as a shell would but run without one (as the AWS CLI does)
import { runCommand as run } from '../dist/config/index.js'

// files and stdin for `iam-edge proxy …` and file:// values (node:fs works on Node, Bun and Deno);
// a missing file reads as undefined
const ifPresent = (read) => (path) => {
  try {
    return read(path)
  } catch (error) {
    if (error?.code === 'ENOENT') return undefined
    throw error
  }
}
const readFile = ifPresent((path) => readFileSync(path, 'utf8'))
const readBytes = ifPresent((path) => {
  const bytes = readFileSync(path)
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
})
const writeFile = (path, text) => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text, { mode: 0o600 })
}

const deno = globalThis.Deno
const io = deno
  ? {
      argv: deno.args,
      env: deno.env.toObject(),
      stdout: (t) => deno.stdout.writeSync(new TextEncoder().encode(t)),
      stderr: (t) => deno.stderr.writeSync(new TextEncoder().encode(t)),
      stderrIsTTY: deno.stderr.isTerminal(),
      readFile,
      readBytes,
      writeFile,
      run,
      home: deno.env.get('HOME') ?? deno.env.get('USERPROFILE'),
      readStdin: async () => (deno.stdin.isTerminal() ? '' : new Response(deno.stdin.readable).text()),
    }
  : {
      argv: process.argv.slice(2),
      env: process.env,
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      stderrIsTTY: Boolean(process.stderr.isTTY),
      readFile,
      readBytes,
      writeFile,
      run,
      home: process.env.HOME ?? process.env.USERPROFILE,
      readStdin: async () => {
        if (process.stdin.isTTY) return ''
        const chunks = []
        for await (const chunk of process.stdin) chunks.push(chunk)
        return Buffer.concat(chunks).toString('utf8')
      },
    }

// Ctrl-C: exit status 130, as the AWS CLI
if (deno) deno.addSignalListener('SIGINT', () => deno.exit(130))
else process.on('SIGINT', () => process.exit(130))

const code = await runCli(io)
if (deno) deno.exit(code)
else process.exitCode = code
