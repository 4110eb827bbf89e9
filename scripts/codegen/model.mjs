// Reads a botocore service model and answers the questions the emitters ask of it.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const SERVICES = {
  iam: { dir: 'iam', docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference', client: 'Iam' },
  sts: { dir: 'sts', docs: 'https://docs.aws.amazon.com/STS/latest/APIReference', client: 'Sts' },
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))

export function loadModel(modelsDir, id) {
  const dir = join(modelsDir, SERVICES[id].dir)
  const service = readJson(join(dir, 'service-2.json'))
  const paginatorsFile = join(dir, 'paginators-1.json')
  const waitersFile = join(dir, 'waiters-2.json')
  return {
    id,
    service,
    paginators: existsSync(paginatorsFile) ? readJson(paginatorsFile).pagination : {},
    waiters: existsSync(waitersFile) ? readJson(waitersFile).waiters : {},
  }
}

/** Shapes an operation's input and output reach, dependencies before dependents. */
export function reachableShapes(model) {
  const shapes = model.service.shapes
  const order = []
  const state = new Map()
  const visit = (name) => {
    if (state.get(name) === 'done') return
    if (state.get(name) === 'open') return
    state.set(name, 'open')
    for (const ref of references(shapes[name])) visit(ref)
    state.set(name, 'done')
    order.push(name)
  }
  for (const op of Object.values(model.service.operations)) {
    if (op.input) visit(op.input.shape)
    if (op.output) visit(op.output.shape)
  }
  return order
}

export function references(shape) {
  switch (shape.type) {
    case 'structure':
      return Object.values(shape.members).map((m) => m.shape)
    case 'list':
      return [shape.member.shape]
    case 'map':
      return [shape.key.shape, shape.value.shape]
    default:
      return []
  }
}

/** The code an error shape answers with on the wire. */
export function errorCode(name, shape) {
  return shape.error?.code ?? name
}

/** Get*, List*, Simulate* (GetContextKeysFor* included): what the proxy lets through. */
export function isReadOnly(operationName) {
  return /^(Get|List|Simulate)[A-Z]/.test(operationName)
}
