// Entry for Deno and Bun: reads the smoke input from the file named on the command line, prints the result.
import { smoke } from './smoke.bundle.mjs'

const path = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2]
const text = globalThis.Deno ? await globalThis.Deno.readTextFile(path) : await globalThis.Bun.file(path).text()
console.log(JSON.stringify(await smoke(JSON.parse(text))))
