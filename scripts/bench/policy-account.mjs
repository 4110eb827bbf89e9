// A large, realistic account for the policy and explorer benchmarks, as the AWS CLI prints
// GetAccountAuthorizationDetails: users in groups, roles for services and people, customer managed
// policies of five statements with conditions and variables, some Denies, boundaries, second
// versions, a few dangerous grants (PassRole, other users' keys, trust edits) and a few admins.
// Deterministic: the same seed gives the same account.

export const ACCOUNT = '123456789012'

/** A small seeded PRNG (mulberry32), so every run measures the same account. */
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SERVICES = {
  s3: ['GetObject', 'PutObject', 'ListBucket', 'DeleteObject', 'GetBucketPolicy'],
  dynamodb: ['GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'],
  sqs: ['SendMessage', 'ReceiveMessage', 'DeleteMessage'],
  sns: ['Publish', 'Subscribe'],
  lambda: ['InvokeFunction', 'GetFunction', 'ListFunctions'],
  logs: ['CreateLogStream', 'PutLogEvents', 'GetLogEvents'],
  kms: ['Decrypt', 'Encrypt', 'GenerateDataKey'],
  ec2: ['DescribeInstances', 'StartInstances', 'StopInstances'],
  cloudwatch: ['PutMetricData', 'GetMetricData'],
  secretsmanager: ['GetSecretValue'],
}
const SERVICE_PRINCIPALS = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'glue.amazonaws.com', 'codebuild.amazonaws.com']

export function generateAccount({ users = 1000, roles = 2000, policies = 1500, groups = 50, seed = 42 } = {}) {
  const rnd = prng(seed)
  const pick = (list) => list[Math.floor(rnd() * list.length)]
  const some = (list, n) => Array.from({ length: n }, () => pick(list))
  const arnOf = (service, i) =>
    ({
      s3: `arn:aws:s3:::bucket-${i % 200}/*`,
      dynamodb: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/table-${i % 150}`,
      sqs: `arn:aws:sqs:*:${ACCOUNT}:queue-${i % 100}`,
      sns: `arn:aws:sns:us-east-1:${ACCOUNT}:topic-*`,
      lambda: `arn:aws:lambda:*:${ACCOUNT}:function:fn-${i % 300}*`,
      logs: '*',
      kms: `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`,
      ec2: '*',
      cloudwatch: '*',
      secretsmanager: `arn:aws:secretsmanager:*:${ACCOUNT}:secret:app-${i % 50}-*`,
    })[service]
  const statement = (i, j) => {
    const service = pick(Object.keys(SERVICES))
    const s = { Sid: `S${j}`, Effect: rnd() < 0.1 ? 'Deny' : 'Allow', Action: some(SERVICES[service], 1 + Math.floor(rnd() * 3)).map((a) => `${service}:${a}`), Resource: arnOf(service, i + j) }
    const c = rnd()
    if (c < 0.15) s.Condition = { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } }
    else if (c < 0.25) s.Condition = { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '203.0.113.0/24'] } }
    else if (c < 0.3) s.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }
    else if (c < 0.4 && service === 's3') s.Condition = { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } }
    else if (c < 0.45) s.Condition = { StringEquals: { 'aws:PrincipalTag/team': `team-${i % 20}` } }
    return s
  }
  const document = (i) => ({ Version: '2012-10-17', Statement: Array.from({ length: 5 }, (_, j) => statement(i, j)) })
  const managed = []
  const policyArn = (name) => `arn:aws:iam::${ACCOUNT}:policy/${name}`
  for (let i = 0; i < policies; i++) {
    const versions = [document(i)]
    // some policies carry an older version (never default)
    if (rnd() < 0.1) versions.unshift(document(i + 7))
    managed.push({ PolicyName: `policy-${i}`, PolicyId: `ANPA${i}`, Arn: policyArn(`policy-${i}`), Path: '/', DefaultVersionId: `v${versions.length}`, AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: '2026-01-01T00:00:00Z', UpdateDate: '2026-01-01T00:00:00Z', PolicyVersionList: versions.map((Document, v) => ({ Document, VersionId: `v${v + 1}`, IsDefaultVersion: v === versions.length - 1, CreateDate: '2026-01-01T00:00:00Z' })) })
  }
  // a few dangerous grants, and the boundaries
  const special = {
    'pass-any-role': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }] },
    'user-keys': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], Resource: `arn:aws:iam::${ACCOUNT}:user/*` }] },
    'self-keys': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*AccessKey*', 'iam:*LoginProfile'], Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }] },
    'trust-editor': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], Resource: `arn:aws:iam::${ACCOUNT}:role/app-*` }] },
    'assume-any': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] },
    'boundary-dev': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'logs:*', 'sqs:*'], Resource: '*' }] },
    'iam-admin': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] },
  }
  for (const [name, doc] of Object.entries(special)) managed.push({ PolicyName: name, Arn: policyArn(name), Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, PolicyVersionList: [{ Document: doc, VersionId: 'v1', IsDefaultVersion: true }] })
  managed.push({ PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', Path: '/', DefaultVersionId: 'v1', AttachmentCount: 10, PolicyVersionList: [{ Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, VersionId: 'v1', IsDefaultVersion: true }] })
  const attach = (arns) => arns.map((PolicyArn) => ({ PolicyName: PolicyArn.split('/').pop(), PolicyArn }))
  const ordinary = () => policyArn(`policy-${Math.floor(rnd() * policies)}`)
  const groupList = Array.from({ length: groups }, (_, i) => ({ GroupName: `group-${i}`, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/group-${i}`, GroupId: `AGPA${i}`, CreateDate: '2026-01-01T00:00:00Z', GroupPolicyList: [], AttachedManagedPolicies: attach([ordinary(), ordinary(), ...(i === 0 ? [policyArn('self-keys')] : [])]) }))
  const userList = Array.from({ length: users }, (_, i) => {
    const extra = []
    if (i % 97 === 1) extra.push(policyArn('user-keys'))
    if (i % 89 === 2) extra.push(policyArn('pass-any-role'))
    if (i % 151 === 3) extra.push(policyArn('trust-editor'))
    if (i % 23 === 4) extra.push(policyArn('assume-any'))
    if (i % 200 === 5) extra.push('arn:aws:iam::aws:policy/AdministratorAccess')
    return {
      UserName: `user-${i}`,
      Path: '/',
      Arn: `arn:aws:iam::${ACCOUNT}:user/user-${i}`,
      UserId: `AIDA${i}`,
      CreateDate: '2026-01-01T00:00:00Z',
      UserPolicyList: rnd() < 0.3 ? [{ PolicyName: `inline-${i}`, PolicyDocument: document(i + 1000) }] : [],
      GroupList: Array.from(new Set(some(groupList, 1 + Math.floor(rnd() * 3)).map((g) => g.GroupName))),
      AttachedManagedPolicies: attach([...(rnd() < 0.5 ? [ordinary()] : []), ...extra]),
      ...(i % 20 === 0 ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: policyArn('boundary-dev') } } : {}),
      Tags: [{ Key: 'team', Value: `team-${i % 20}` }],
    }
  })
  const roleList = Array.from({ length: roles }, (_, i) => {
    const r = rnd()
    let principal
    if (r < 0.6) principal = { Service: pick(SERVICE_PRINCIPALS) }
    else if (r < 0.85) principal = { AWS: `arn:aws:iam::${ACCOUNT}:root` }
    else if (r < 0.95) principal = { AWS: `arn:aws:iam::${ACCOUNT}:user/user-${Math.floor(rnd() * users)}` }
    else principal = { AWS: 'arn:aws:iam::999988887777:root' }
    const admin = i % 400 === 7
    return {
      RoleName: i % 3 === 0 ? `app-${i}` : `role-${i}`,
      Path: '/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/${i % 3 === 0 ? `app-${i}` : `role-${i}`}`,
      RoleId: `AROA${i}`,
      CreateDate: '2026-01-01T00:00:00Z',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] },
      InstanceProfileList: principal.Service === 'ec2.amazonaws.com' ? [{ InstanceProfileName: `ip-${i}` }] : [],
      RolePolicyList: rnd() < 0.2 ? [{ PolicyName: `inline-r${i}`, PolicyDocument: document(i + 5000) }] : [],
      AttachedManagedPolicies: attach([ordinary(), ...(rnd() < 0.5 ? [ordinary()] : []), ...(admin ? ['arn:aws:iam::aws:policy/AdministratorAccess'] : []), ...(i % 250 === 11 ? [policyArn('iam-admin')] : [])]),
      ...(i % 10 === 0 && !admin ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: policyArn('boundary-dev') } } : {}),
      Tags: [],
    }
  })
  return { UserDetailList: userList, GroupDetailList: groupList, RoleDetailList: roleList, Policies: managed }
}
