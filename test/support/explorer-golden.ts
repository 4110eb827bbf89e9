// A small account with one of everything the explorer's findings look for, and a few things they
// must not flag (an external id, a service trust, a narrowed resource, an unattached AWS policy).
import type { Account } from '../../explorer/model.js'

export const NOW = new Date('2026-12-01T00:00:00Z')
const A = '111122223333'
const doc = (...Statement: object[]) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement }))
const arn = (kind: string, name: string) => `arn:aws:iam::${A}:${kind}/${name}`

export const GOLDEN: Account = {
  details: {
    UserDetailList: [
      { UserName: 'admin', Arn: arn('user', 'admin'), Path: '/', CreateDate: '2026-01-01T00:00:00Z', UserPolicyList: [{ PolicyName: 'everything', PolicyDocument: doc({ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' }) }] },
      { UserName: 'dev', Arn: arn('user', 'dev'), Path: '/', CreateDate: '2026-01-01T00:00:00Z', GroupList: ['builders'], AttachedManagedPolicies: [{ PolicyName: 'Run', PolicyArn: arn('policy', 'Run') }] },
      { UserName: 'reader', Arn: arn('user', 'reader'), Path: '/', CreateDate: '2026-01-01T00:00:00Z', AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] },
    ],
    GroupDetailList: [
      { GroupName: 'builders', Arn: arn('group', 'builders'), Path: '/', CreateDate: '2026-01-01T00:00:00Z', GroupPolicyList: [{ PolicyName: 'pass', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: arn('role', 'ops') }) }] },
    ],
    RoleDetailList: [
      { RoleName: 'ops', Arn: arn('role', 'ops'), Path: '/', CreateDate: '2026-01-01T00:00:00Z', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), AttachedManagedPolicies: [{ PolicyName: 'Expose', PolicyArn: arn('policy', 'Expose') }], RoleLastUsed: { LastUsedDate: '2026-11-30T00:00:00Z' } },
      { RoleName: 'open', Arn: arn('role', 'open'), Path: '/', CreateDate: '2026-01-01T00:00:00Z', AssumeRolePolicyDocument: doc({ Sid: 'Anyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }), RoleLastUsed: { LastUsedDate: '2026-11-30T00:00:00Z' } },
      { RoleName: 'vendor', Arn: arn('role', 'vendor'), Path: '/', CreateDate: '2026-01-01T00:00:00Z', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::999988887777:root', arn('user', 'dev')] }, Action: 'sts:AssumeRole' }, { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'e' } } }), RoleLastUsed: { LastUsedDate: '2026-11-30T00:00:00Z' } },
      { RoleName: 'stale', Arn: arn('role', 'stale'), Path: '/', CreateDate: '2026-01-01T00:00:00Z', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }), RoleLastUsed: { LastUsedDate: '2026-07-01T00:00:00Z' } },
    ],
    Policies: [
      { PolicyName: 'Run', Arn: arn('policy', 'Run'), Path: '/', DefaultVersionId: 'v2', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: false, Document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }, { VersionId: 'v2', IsDefaultVersion: true, Document: doc({ Sid: 'Launch', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' }) }] },
      { PolicyName: 'Expose', Arn: arn('policy', 'Expose'), Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc({ Sid: 'Share', Effect: 'Allow', Action: ['s3:PutBucketPolicy', 's3:GetObject'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, { Sid: 'Narrow', Effect: 'Allow', Action: 'kms:PutKeyPolicy', Resource: 'arn:aws:kms:us-east-1:111122223333:key/1' }) }] },
      { PolicyName: 'ReadOnlyAccess', Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc({ Effect: 'Allow', Action: ['s3:Get*', 'ssm:Describe*'], Resource: '*' }) }] },
      { PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }] },
    ],
  },
  credentialReport: [
    { user: '<root_account>', arn: `arn:aws:iam::${A}:root`, password_enabled: 'not_supported', mfa_active: 'true', access_key_1_active: 'false', access_key_2_active: 'false' },
    { user: 'admin', arn: arn('user', 'admin'), password_enabled: 'true', mfa_active: 'false', access_key_1_active: 'true', access_key_1_last_rotated: '2026-02-01T00:00:00+00:00', access_key_1_last_used_date: '2026-11-29T00:00:00+00:00', access_key_2_active: 'true', access_key_2_last_rotated: '2026-11-01T00:00:00+00:00', access_key_2_last_used_date: 'N/A' },
    { user: 'dev', arn: arn('user', 'dev'), password_enabled: 'true', mfa_active: 'true', access_key_1_active: 'true', access_key_1_last_rotated: '2026-11-01T00:00:00+00:00', access_key_1_last_used_date: '2026-06-01T00:00:00+00:00', access_key_2_active: 'false' },
  ],
}
