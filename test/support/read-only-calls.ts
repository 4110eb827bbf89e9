// The read-only IAM calls moto 5.2.1 implements, each with an input built from the seeded estate
// and a check of its answer: shared by the client's integration test and the CLI's differential.
import { expect } from 'vitest'
import type { MotoAccount } from './moto.js'

export type Account = MotoAccount['account']
export type Check = (out: Record<string, unknown>, account: Account) => void

/** Read-only IAM actions moto 5.2.1 implements, each with an input built from the seeded estate. */
export const READ_ONLY_CALLS: [name: string, input: (a: Account) => Record<string, unknown>, check: Check][] = [
  ['GetAccessKeyLastUsed', (a) => ({ AccessKeyId: a.botAccessKeyId }), (o) => expect(o.UserName).toBe('deploy-bot')],
  [
    'GetAccountAuthorizationDetails',
    () => ({}),
    (o, a) => expect(names(o.UserDetailList, 'UserName').sort()).toEqual([...a.users].sort()),
  ],
  ['GetAccountPasswordPolicy', () => ({}), (o) => expect(o.PasswordPolicy).toMatchObject({ MinimumPasswordLength: 14, RequireSymbols: true })],
  ['GetAccountSummary', () => ({}), (o, a) => expect(o.SummaryMap).toMatchObject({ Users: a.users.length, Groups: a.groups.length })],
  ['GetCredentialReport', () => ({}), (o) => expect(o.ReportFormat).toBe('text/csv')],
  ['GetGroup', () => ({ GroupName: 'developers' }), (o) => expect(names(o.Users, 'UserName').sort()).toEqual(['alice', 'bob'])],
  [
    'GetGroupPolicy',
    (a) => ({ GroupName: 'developers', PolicyName: a.groupPolicy }),
    (o) => expect(policy(o.PolicyDocument).Statement[0]?.Action).toContain('ssm:StartSession'),
  ],
  ['GetInstanceProfile', (a) => ({ InstanceProfileName: a.instanceProfile }), (o) => expect(names(field(o, 'InstanceProfile').Roles, 'RoleName')).toEqual(['ec2-web'])],
  ['GetLoginProfile', () => ({ UserName: 'alice' }), (o) => expect(field(o, 'LoginProfile').UserName).toBe('alice')],
  ['GetOpenIDConnectProvider', (a) => ({ OpenIDConnectProviderArn: a.oidcProviderArn }), (o) => expect(o.ClientIDList).toEqual(['sts.amazonaws.com'])],
  ['GetPolicy', (a) => ({ PolicyArn: a.policyArns.DeployLambda }), (o) => expect(field(o, 'Policy').DefaultVersionId).toBe('v2')],
  [
    'GetPolicyVersion',
    (a) => ({ PolicyArn: a.policyArns.DeployLambda, VersionId: 'v2' }),
    (o) => expect(JSON.stringify(policy(field(o, 'PolicyVersion').Document))).toContain('lambda:UpdateAlias'),
  ],
  [
    'GetRole',
    (a) => ({ RoleName: a.assumableRole }),
    (o) => {
      const role = field(o, 'Role')
      expect(role.CreateDate).toBeInstanceOf(Date)
      expect(policy(role.AssumeRolePolicyDocument).Statement[0]?.Action).toBe('sts:AssumeRole')
      expect(role.Tags).toEqual([{ Key: 'team', Value: 'security' }])
    },
  ],
  [
    'GetRolePolicy',
    (a) => ({ RoleName: a.assumableRole, PolicyName: a.rolePolicy }),
    (o) => expect(policy(o.PolicyDocument).Statement[0]?.Action).toBe('cloudtrail:LookupEvents'),
  ],
  ['GetSAMLProvider', (a) => ({ SAMLProviderArn: a.samlProviderArn }), (o) => expect(String(o.SAMLMetadataDocument)).toContain('EntityDescriptor')],
  [
    'GetServerCertificate',
    (a) => ({ ServerCertificateName: a.serverCertificate }),
    (o) => expect(String(field(o, 'ServerCertificate').CertificateBody)).toContain('BEGIN CERTIFICATE'),
  ],
  ['GetServiceLinkedRoleDeletionStatus', (a) => ({ DeletionTaskId: a.deletionTaskId }), (o) => expect(o.Status).toBe('SUCCEEDED')],
  [
    'GetSSHPublicKey',
    (a) => ({ UserName: 'bob', SSHPublicKeyId: a.sshPublicKeyId, Encoding: 'SSH' }),
    (o) => expect(field(o, 'SSHPublicKey').Status).toBe('Active'),
  ],
  ['GetUser', () => ({ UserName: 'bob' }), (o) => expect(field(o, 'User').Tags).toEqual([{ Key: 'team', Value: 'payments' }])],
  [
    'GetUserPolicy',
    (a) => ({ UserName: 'alice', PolicyName: a.userPolicy }),
    (o) => expect(policy(o.PolicyDocument).Statement[0]?.Effect).toBe('Allow'),
  ],
  ['ListAccessKeys', () => ({ UserName: 'alice' }), (o, a) => expect(names(o.AccessKeyMetadata, 'AccessKeyId')).toEqual([a.credentials.accessKeyId])],
  ['ListAccountAliases', () => ({}), (o, a) => expect(o.AccountAliases).toEqual([a.accountAlias])],
  ['ListAttachedGroupPolicies', () => ({ GroupName: 'auditors' }), (o) => expect(names(o.AttachedPolicies, 'PolicyName')).toEqual(['CloudTrailRead'])],
  ['ListAttachedRolePolicies', (a) => ({ RoleName: a.assumableRole }), (o) => expect(names(o.AttachedPolicies, 'PolicyName')).toEqual(['IamReadOnlyAudit'])],
  ['ListAttachedUserPolicies', () => ({ UserName: 'bob' }), (o) => expect(names(o.AttachedPolicies, 'PolicyName')).toEqual(['S3ReadReports'])],
  [
    'ListEntitiesForPolicy',
    (a) => ({ PolicyArn: a.policyArns.DeployLambda }),
    (o) => {
      expect(names(o.PolicyGroups, 'GroupName')).toEqual(['developers'])
      expect(names(o.PolicyRoles, 'RoleName')).toEqual(['ci-deployer'])
    },
  ],
  ['ListGroupPolicies', () => ({ GroupName: 'developers' }), (o, a) => expect(o.PolicyNames).toEqual([a.groupPolicy])],
  ['ListGroups', () => ({}), (o, a) => expect(names(o.Groups, 'GroupName').sort()).toEqual([...a.groups].sort())],
  ['ListGroupsForUser', () => ({ UserName: 'alice' }), (o) => expect(names(o.Groups, 'GroupName').sort()).toEqual(['admins', 'developers'])],
  ['ListInstanceProfiles', () => ({}), (o, a) => expect(names(o.InstanceProfiles, 'InstanceProfileName')).toEqual([a.instanceProfile])],
  ['ListInstanceProfilesForRole', () => ({ RoleName: 'ec2-web' }), (o, a) => expect(names(o.InstanceProfiles, 'InstanceProfileName')).toEqual([a.instanceProfile])],
  ['ListMFADevices', () => ({ UserName: 'carol' }), (o, a) => expect(names(o.MFADevices, 'SerialNumber')).toEqual([a.mfaSerialNumber])],
  ['ListOpenIDConnectProviders', () => ({}), (o, a) => expect(names(o.OpenIDConnectProviderList, 'Arn')).toEqual([a.oidcProviderArn])],
  ['ListOpenIDConnectProviderTags', (a) => ({ OpenIDConnectProviderArn: a.oidcProviderArn }), (o) => expect(o.Tags ?? []).toEqual([])],
  ['ListPolicies', () => ({ Scope: 'Local' }), (o, a) => expect(names(o.Policies, 'PolicyName').sort()).toEqual([...a.policies].sort())],
  ['ListPolicyTags', (a) => ({ PolicyArn: a.policyArns.S3ReadReports }), (o) => expect(o.Tags).toEqual([{ Key: 'data-class', Value: 'confidential' }])],
  ['ListPolicyVersions', (a) => ({ PolicyArn: a.policyArns.DeployLambda }), (o) => expect(names(o.Versions, 'VersionId').sort()).toEqual(['v1', 'v2'])],
  ['ListRolePolicies', (a) => ({ RoleName: a.assumableRole }), (o, a) => expect(o.PolicyNames).toEqual([a.rolePolicy])],
  ['ListRoleTags', () => ({ RoleName: 'ci-deployer' }), (o) => expect(o.Tags).toEqual([{ Key: 'owner', Value: 'ci' }])],
  ['ListRoles', () => ({}), (o, a) => expect(names(o.Roles, 'RoleName')).toEqual(expect.arrayContaining(a.roles))],
  ['ListSAMLProviders', () => ({}), (o, a) => expect(names(o.SAMLProviderList, 'Arn')).toEqual([a.samlProviderArn])],
  ['ListServerCertificates', () => ({}), (o, a) => expect(names(o.ServerCertificateMetadataList, 'ServerCertificateName')).toEqual([a.serverCertificate])],
  ['ListSigningCertificates', () => ({ UserName: 'deploy-bot' }), (o) => expect(names(o.Certificates, 'UserName')).toEqual(['deploy-bot'])],
  ['ListSSHPublicKeys', () => ({ UserName: 'bob' }), (o, a) => expect(names(o.SSHPublicKeys, 'SSHPublicKeyId')).toEqual([a.sshPublicKeyId])],
  ['ListUserPolicies', () => ({ UserName: 'alice' }), (o, a) => expect(o.PolicyNames).toEqual([a.userPolicy])],
  ['ListUserTags', () => ({ UserName: 'alice' }), (o) => expect(o.Tags).toEqual([{ Key: 'team', Value: 'platform' }, { Key: 'cost-center', Value: 'cc-1042' }])],
  ['ListUsers', () => ({ PathPrefix: '/engineering/' }), (o) => expect(names(o.Users, 'UserName')).toEqual(['bob'])],
  ['ListVirtualMFADevices', () => ({}), (o, a) => expect(names(o.VirtualMFADevices, 'SerialNumber')).toEqual([a.mfaSerialNumber])],
]

export function names(list: unknown, key: string): unknown[] {
  expect(Array.isArray(list)).toBe(true)
  return (list as Record<string, unknown>[]).map((item) => item[key])
}

function field(out: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = out[key]
  expect(typeof value).toBe('object')
  return value as Record<string, unknown>
}

function policy(document: unknown): { Statement: { Effect?: string; Action?: string | string[] }[] } {
  expect(typeof document).toBe('string')
  return JSON.parse(String(document)) as { Statement: { Effect?: string; Action?: string | string[] }[] }
}

