// Seeds a moto account with a small, believable IAM estate through unsigned bootstrap calls.
// Every step is one IAM call, so SEED_CALL_COUNT is exact and can be given to moto as
// INITIAL_NO_AUTH_ACTION_COUNT: signature checking turns on right after seeding.
import { CERTIFICATE_PEM, SSH_PUBLIC_KEY } from './fixtures.mjs'

export const ACCOUNT_ID = '123456789012'
const IAM_VERSION = '2010-05-08'

// moto routes a request by its Authorization scope; without one it answers as S3.
const BOOTSTRAP_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00'

const doc = (statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements })
const trust = (principal, extra = {}) =>
  doc([{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }])
const policyArn = (name, path = '/') => `arn:aws:iam::${ACCOUNT_ID}:policy${path}${name}`
const tags = (pairs) => {
  const out = {}
  pairs.forEach(([key, value], i) => {
    out[`Tags.member.${i + 1}.Key`] = key
    out[`Tags.member.${i + 1}.Value`] = value
  })
  return out
}

/** Names the tests and the demo can rely on. */
export const SEED = {
  accountAlias: 'acme-prod',
  adminUser: 'alice',
  users: ['alice', 'bob', 'carol', 'deploy-bot'],
  groups: ['admins', 'developers', 'auditors'],
  roles: ['app-lambda', 'ci-deployer', 'ec2-web', 'readonly-auditor', 'data-pipeline', 'vendor-audit'],
  assumableRole: 'readonly-auditor',
  policies: ['S3ReadReports', 'DeployLambda', 'CloudTrailRead', 'KmsDecryptApp', 'IamReadOnlyAudit', 'Ec2Launcher'],
  versionedPolicy: 'DeployLambda',
  instanceProfile: 'web-server',
  serverCertificate: 'www-example-com',
  samlProvider: 'okta',
  oidcProviderUrl: 'https://token.actions.githubusercontent.com',
  userPolicy: 'alice-admin',
  groupPolicy: 'developers-ssm',
  rolePolicy: 'read-audit-trail',
  // what the explorer's findings must catch (alice's inline `*` on `*` is the wildcard admin)
  defects: {
    crossAccountRole: 'vendor-audit',
    otherAccount: '999988887777',
    passRolePolicy: 'Ec2Launcher',
    passRoleUser: 'deploy-bot',
    hostileDescription: '<img src=x onerror=alert(1)>',
    hostileTag: '<script>alert(2)</script>',
  },
}

const STEPS = [
  { action: 'CreateAccountAlias', params: () => ({ AccountAlias: SEED.accountAlias }) },
  {
    action: 'UpdateAccountPasswordPolicy',
    params: () => ({ MinimumPasswordLength: '14', RequireSymbols: 'true', RequireNumbers: 'true', MaxPasswordAge: '90' }),
  },
  {
    action: 'CreateUser',
    params: () => ({ UserName: 'alice', Path: '/', ...tags([['team', 'platform'], ['cost-center', 'cc-1042']]) }),
  },
  { action: 'CreateUser', params: () => ({ UserName: 'bob', Path: '/engineering/', ...tags([['team', 'payments']]) }) },
  { action: 'CreateUser', params: () => ({ UserName: 'carol', Path: '/finance/', ...tags([['team', 'finance']]) }) },
  {
    action: 'CreateUser',
    params: () => ({ UserName: 'deploy-bot', Path: '/service/', ...tags([['owner', 'ci'], ['rotation', '90d']]) }),
  },
  // moto enforces IAM policies once auth is on: alice signs the integration calls, so she may do anything
  {
    action: 'PutUserPolicy',
    params: () => ({ UserName: 'alice', PolicyName: SEED.userPolicy, PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }),
  },
  {
    action: 'CreateAccessKey',
    params: () => ({ UserName: 'alice' }),
    save: (xml, ctx) => {
      ctx.accessKeyId = tag(xml, 'AccessKeyId')
      ctx.secretAccessKey = tag(xml, 'SecretAccessKey')
    },
  },
  {
    action: 'CreateAccessKey',
    params: () => ({ UserName: 'deploy-bot' }),
    save: (xml, ctx) => {
      ctx.botAccessKeyId = tag(xml, 'AccessKeyId')
    },
  },
  { action: 'CreateLoginProfile', params: () => ({ UserName: 'alice', Password: 'correct-Horse-battery-9' }) },
  { action: 'CreateGroup', params: () => ({ GroupName: 'admins', Path: '/' }) },
  { action: 'CreateGroup', params: () => ({ GroupName: 'developers', Path: '/engineering/' }) },
  { action: 'CreateGroup', params: () => ({ GroupName: 'auditors', Path: '/' }) },
  { action: 'AddUserToGroup', params: () => ({ GroupName: 'admins', UserName: 'alice' }) },
  { action: 'AddUserToGroup', params: () => ({ GroupName: 'developers', UserName: 'alice' }) },
  { action: 'AddUserToGroup', params: () => ({ GroupName: 'developers', UserName: 'bob' }) },
  { action: 'AddUserToGroup', params: () => ({ GroupName: 'auditors', UserName: 'carol' }) },
  {
    action: 'PutGroupPolicy',
    params: () => ({
      GroupName: 'developers',
      PolicyName: SEED.groupPolicy,
      PolicyDocument: doc([{ Effect: 'Allow', Action: ['ssm:StartSession', 'ssm:DescribeSessions'], Resource: '*' }]),
    }),
  },
  {
    action: 'CreatePolicy',
    params: () => ({
      PolicyName: 'S3ReadReports',
      Description: 'Read the finance reports bucket',
      PolicyDocument: doc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::acme-reports', 'arn:aws:s3:::acme-reports/*'] }]),
      ...tags([['data-class', 'confidential']]),
    }),
  },
  {
    action: 'CreatePolicy',
    params: () => ({
      PolicyName: 'DeployLambda',
      Path: '/ci/',
      PolicyDocument: doc([{ Effect: 'Allow', Action: ['lambda:UpdateFunctionCode', 'lambda:PublishVersion'], Resource: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:*` }]),
    }),
  },
  {
    action: 'CreatePolicyVersion',
    params: () => ({
      PolicyArn: policyArn('DeployLambda', '/ci/'),
      SetAsDefault: 'true',
      PolicyDocument: doc([
        { Effect: 'Allow', Action: ['lambda:UpdateFunctionCode', 'lambda:PublishVersion', 'lambda:UpdateAlias'], Resource: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:*` },
      ]),
    }),
  },
  {
    action: 'CreatePolicy',
    params: () => ({
      PolicyName: 'CloudTrailRead',
      PolicyDocument: doc([{ Effect: 'Allow', Action: ['cloudtrail:LookupEvents', 'cloudtrail:GetTrailStatus'], Resource: '*' }]),
    }),
  },
  {
    action: 'CreatePolicy',
    params: () => ({
      PolicyName: 'KmsDecryptApp',
      PolicyDocument: doc([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/*`, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } }]),
    }),
  },
  {
    action: 'CreatePolicy',
    params: () => ({
      PolicyName: 'IamReadOnlyAudit',
      PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'sts:GetCallerIdentity'], Resource: '*' }]),
    }),
  },
  { action: 'AttachUserPolicy', params: () => ({ UserName: 'bob', PolicyArn: policyArn('S3ReadReports') }) },
  { action: 'AttachGroupPolicy', params: () => ({ GroupName: 'auditors', PolicyArn: policyArn('CloudTrailRead') }) },
  { action: 'AttachGroupPolicy', params: () => ({ GroupName: 'developers', PolicyArn: policyArn('DeployLambda', '/ci/') }) },
  {
    action: 'CreateRole',
    params: () => ({ RoleName: 'app-lambda', Path: '/service-role/', AssumeRolePolicyDocument: trust({ Service: 'lambda.amazonaws.com' }), ...tags([['app', 'orders']]) }),
  },
  {
    action: 'CreateRole',
    params: () => ({
      RoleName: 'ci-deployer',
      AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, { Condition: { StringEquals: { 'sts:ExternalId': 'ci-7f3a' } } }),
      MaxSessionDuration: '7200',
      ...tags([['owner', 'ci']]),
    }),
  },
  { action: 'CreateRole', params: () => ({ RoleName: 'ec2-web', AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }) }) },
  {
    action: 'CreateRole',
    params: () => ({
      RoleName: 'readonly-auditor',
      // written on two lines with CR LF: answers carry it raw, readers must normalise it to LF
      Description: 'Assumed by auditors to read IAM.\r\nOwner: security team',
      // moto matches trust principals literally (the account root does not cover its users), so alice is named
      AssumeRolePolicyDocument: trust({ AWS: [`arn:aws:iam::${ACCOUNT_ID}:root`, `arn:aws:iam::${ACCOUNT_ID}:user/alice`] }),
      ...tags([['team', 'security']]),
    }),
  },
  { action: 'CreateRole', params: () => ({ RoleName: 'data-pipeline', AssumeRolePolicyDocument: trust({ Service: 'glue.amazonaws.com' }) }) },
  { action: 'AttachRolePolicy', params: () => ({ RoleName: 'readonly-auditor', PolicyArn: policyArn('IamReadOnlyAudit') }) },
  { action: 'AttachRolePolicy', params: () => ({ RoleName: 'ci-deployer', PolicyArn: policyArn('DeployLambda', '/ci/') }) },
  { action: 'AttachRolePolicy', params: () => ({ RoleName: 'app-lambda', PolicyArn: policyArn('KmsDecryptApp') }) },
  {
    action: 'PutRolePolicy',
    params: () => ({
      RoleName: 'readonly-auditor',
      PolicyName: SEED.rolePolicy,
      PolicyDocument: doc([{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' }]),
    }),
  },
  { action: 'CreateInstanceProfile', params: () => ({ InstanceProfileName: 'web-server', Path: '/' }) },
  { action: 'AddRoleToInstanceProfile', params: () => ({ InstanceProfileName: 'web-server', RoleName: 'ec2-web' }) },
  {
    action: 'UploadServerCertificate',
    params: () => ({ ServerCertificateName: SEED.serverCertificate, CertificateBody: CERTIFICATE_PEM, PrivateKey: 'not-a-real-private-key' }),
  },
  { action: 'UploadSigningCertificate', params: () => ({ UserName: 'deploy-bot', CertificateBody: CERTIFICATE_PEM }) },
  {
    action: 'UploadSSHPublicKey',
    params: () => ({ UserName: 'bob', SSHPublicKeyBody: SSH_PUBLIC_KEY }),
    save: (xml, ctx) => {
      ctx.sshPublicKeyId = tag(xml, 'SSHPublicKeyId')
    },
  },
  {
    action: 'CreateVirtualMFADevice',
    params: () => ({ VirtualMFADeviceName: 'carol-phone' }),
    save: (xml, ctx) => {
      ctx.mfaSerialNumber = tag(xml, 'SerialNumber')
    },
  },
  {
    action: 'EnableMFADevice',
    params: (ctx) => ({ UserName: 'carol', SerialNumber: ctx.mfaSerialNumber, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
  },
  {
    action: 'CreateSAMLProvider',
    params: () => ({ Name: SEED.samlProvider, SAMLMetadataDocument: samlMetadata() }),
    save: (xml, ctx) => {
      ctx.samlProviderArn = tag(xml, 'SAMLProviderArn')
    },
  },
  {
    action: 'CreateOpenIDConnectProvider',
    params: () => ({
      Url: SEED.oidcProviderUrl,
      'ClientIDList.member.1': 'sts.amazonaws.com',
      'ThumbprintList.member.1': '6938fd4d98bab03faadb97b34396831e3780aea1',
    }),
    save: (xml, ctx) => {
      ctx.oidcProviderArn = tag(xml, 'OpenIDConnectProviderArn')
    },
  },
  {
    action: 'CreateServiceLinkedRole',
    params: () => ({ AWSServiceName: 'elasticbeanstalk.amazonaws.com' }),
    save: (xml, ctx) => {
      ctx.serviceLinkedRoleName = tag(xml, 'RoleName')
    },
  },
  {
    action: 'DeleteServiceLinkedRole',
    params: (ctx) => ({ RoleName: ctx.serviceLinkedRoleName }),
    save: (xml, ctx) => {
      ctx.deletionTaskId = tag(xml, 'DeletionTaskId')
    },
  },
  // the explorer's seeded defects: a role another account may assume without an external id (a tag
  // value of hostile markup), and a PassRole escalation in a policy whose description is hostile
  // markup (both must show as text)
  {
    action: 'CreateRole',
    params: () => ({
      RoleName: SEED.defects.crossAccountRole,
      Description: 'Read-only access for the audit vendor',
      AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${SEED.defects.otherAccount}:root` }),
      ...tags([['vendor', SEED.defects.hostileTag]]),
    }),
  },
  {
    action: 'CreatePolicy',
    params: () => ({
      PolicyName: SEED.defects.passRolePolicy,
      Description: SEED.defects.hostileDescription,
      PolicyDocument: doc([{ Sid: 'LaunchWithRole', Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances'], Resource: '*' }]),
    }),
  },
  { action: 'AttachUserPolicy', params: () => ({ UserName: SEED.defects.passRoleUser, PolicyArn: policyArn(SEED.defects.passRolePolicy) }) },
  // …and a role that may attach any policy to itself: the instance role the PassRole user can
  // launch with, so deploy-bot has a two-hop path to admin (ec2-001, then iam-009)
  {
    action: 'PutRolePolicy',
    params: () => ({
      RoleName: 'ec2-web',
      PolicyName: 'self-service',
      PolicyDocument: doc([{ Sid: 'AttachToSelf', Effect: 'Allow', Action: 'iam:AttachRolePolicy', Resource: 'arn:aws:iam::*:role/ec2-web' }]),
    }),
  },
  { action: 'GenerateCredentialReport', params: () => ({}) },
]

/** Exactly the number of IAM calls seedAccount() makes. */
export const SEED_CALL_COUNT = STEPS.length

function samlMetadata() {
  return [
    '<?xml version="1.0"?>',
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1acme">',
    '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
    '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.okta.com/app/amazon_aws/exk1acme/sso/saml"/>',
    '</md:IDPSSODescriptor></md:EntityDescriptor>',
  ].join('')
}

function tag(xml, name) {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)
  if (match === null) throw new Error(`seed: <${name}> missing in ${xml.slice(0, 300)}`)
  return match[1]
}

/** One unsigned IAM call as moto's bootstrap accepts it; throws on any non-2xx answer. */
export async function bootstrapCall(endpoint, action, params = {}) {
  const body = new URLSearchParams({ Action: action, Version: IAM_VERSION, ...params })
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: BOOTSTRAP_AUTHORIZATION },
    body,
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`seed: ${action} answered HTTP ${res.status}: ${text.slice(0, 500)}`)
  return text
}

/**
 * Creates the estate described by SEED. Returns the names plus what only exists after seeding:
 * alice's access key pair (moto knows the secret, so signed calls verify), ARNs and ids.
 */
export async function seedAccount(endpoint) {
  const ctx = {}
  for (const step of STEPS) {
    const xml = await bootstrapCall(endpoint, step.action, step.params(ctx))
    step.save?.(xml, ctx)
  }
  return {
    ...SEED,
    accountId: ACCOUNT_ID,
    endpoint,
    credentials: { accessKeyId: ctx.accessKeyId, secretAccessKey: ctx.secretAccessKey },
    botAccessKeyId: ctx.botAccessKeyId,
    policyArns: Object.fromEntries(
      SEED.policies.map((name) => [name, name === 'DeployLambda' ? policyArn(name, '/ci/') : policyArn(name)]),
    ),
    assumableRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${SEED.assumableRole}`,
    sshPublicKeyId: ctx.sshPublicKeyId,
    mfaSerialNumber: ctx.mfaSerialNumber,
    samlProviderArn: ctx.samlProviderArn,
    oidcProviderArn: ctx.oidcProviderArn,
    deletionTaskId: ctx.deletionTaskId,
  }
}
