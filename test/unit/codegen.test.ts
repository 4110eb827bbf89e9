import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as iam from '../../src/iam/generated/index.js'
import { iamOperations, iamReadOnlyActions } from '../../src/iam/generated/registry.js'
import { stsOperations } from '../../src/sts/generated/registry.js'

describe('generated code', () => {
  it('matches what the generator makes from the models (npm run codegen when this fails)', () => {
    const result = spawnSync(process.execPath, ['scripts/codegen/index.mjs', '--check'], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('--check notices a stale tree', () => {
    const out = mkdtempSync(join(tmpdir(), 'codegen-'))
    try {
      const result = spawnSync(process.execPath, ['scripts/codegen/index.mjs', '--check', '--out', out], { encoding: 'utf8' })
      expect(result.status).toBe(1)
      expect(result.stderr).toContain('stale')
      spawnSync(process.execPath, ['scripts/codegen/index.mjs', '--out', out], { encoding: 'utf8' })
      expect(readdirSync(join(out, 'iam', 'generated', 'operations'))).toHaveLength(177)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('has every operation of both models', () => {
    expect(Object.keys(iamOperations)).toHaveLength(176)
    expect(Object.keys(stsOperations)).toHaveLength(11)
  })

  it('classifies read-only operations as the proxy needs', () => {
    expect(iam.ListUsers.readOnly).toBe(true)
    expect(iam.GetContextKeysForPrincipalPolicy.readOnly).toBe(true)
    expect(iam.SimulatePrincipalPolicy.readOnly).toBe(true)
    expect(iam.CreateUser.readOnly).toBe(false)
    expect(iam.DeleteRole.readOnly).toBe(false)
    expect(iam.GenerateCredentialReport.readOnly).toBe(false)
    expect(iamReadOnlyActions).toHaveLength(67)
    expect(iamReadOnlyActions.every((a) => /^(Get|List|Simulate)/.test(a))).toBe(true)
  })

  it('carries paginators, result wrappers, modeled errors and reference links', () => {
    expect(iam.ListRoles.paginator).toEqual({ inputToken: 'Marker', outputToken: 'Marker', moreResults: 'IsTruncated', limitKey: 'MaxItems', resultKey: 'Roles' })
    expect(iam.GetRole.resultWrapper).toBe('GetRoleResult')
    expect(iam.GetRole.errors).toContain('NoSuchEntity')
    expect(iam.GetRole.docs).toBe('https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html')
    expect(iam.RoleExists).toMatchObject({ operation: iam.GetRole, delay: 1, maxAttempts: 20 })
  })
})
