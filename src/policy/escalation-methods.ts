// The privilege-escalation path types the analysis knows, as facts: the permissions each needs,
// on what, and what the actor gains. Catalogued by DataDog's pathfinding.cloud (Apache-2.0;
// credited in NOTICE), by id; the ids link to https://pathfinding.cloud/paths/<id>.
//
// kind:
//   self       the actor grants itself anything (a policy of its own, its group's, its boundary);
//   principal  the actor gets another principal's credentials or session, or makes it admin and
//              then gets there;
//   passrole   the actor passes a role to a new resource of a service that runs as that role;
//   existing   the actor takes over an existing resource that runs as a role (which role is not in
//              IAM's data: every role that trusts the service, and for EC2 has an instance profile).

export type MethodKind = 'self' | 'principal' | 'passrole' | 'existing'

export interface EscalationMethod {
  /** pathfinding.cloud's id */
  id: string
  /** the permissions, as pathfinding.cloud names the path */
  name: string
  kind: MethodKind
  /** actions needed besides the target-specific ones (on `*`, or on the service's own resources) */
  actions: readonly string[]
  /** passrole / existing: the service principal the role must trust */
  service?: string
  /** EC2-based: the role must have an instance profile */
  instanceProfile?: boolean
}

const m = (id: string, kind: MethodKind, actions: string[], service?: string, instanceProfile?: boolean): EscalationMethod => ({
  id,
  name: actions.join(' + '),
  kind,
  actions,
  ...(service ? { service } : {}),
  ...(instanceProfile ? { instanceProfile } : {}),
})

const EC2 = 'ec2.amazonaws.com'
const LAMBDA = 'lambda.amazonaws.com'
const GLUE = 'glue.amazonaws.com'
const CFN = 'cloudformation.amazonaws.com'
const CODEBUILD = 'codebuild.amazonaws.com'
const SAGEMAKER = 'sagemaker.amazonaws.com'
const ECS = 'ecs-tasks.amazonaws.com'

export const METHODS: readonly EscalationMethod[] = [
  // self-escalation: the target is the actor, its group, or a policy attached to it
  m('iam-001', 'self', ['iam:CreatePolicyVersion']),
  m('iam-005', 'self', ['iam:PutRolePolicy']),
  m('iam-007', 'self', ['iam:PutUserPolicy']),
  m('iam-008', 'self', ['iam:AttachUserPolicy']),
  m('iam-009', 'self', ['iam:AttachRolePolicy']),
  m('iam-010', 'self', ['iam:AttachGroupPolicy']),
  m('iam-011', 'self', ['iam:PutGroupPolicy']),
  m('iam-013', 'self', ['iam:AddUserToGroup']),
  // principal access: credentials, trust, or another principal's policies and then its session
  m('sts-001', 'principal', ['sts:AssumeRole']),
  m('iam-002', 'principal', ['iam:CreateAccessKey']),
  m('iam-003', 'principal', ['iam:CreateAccessKey', 'iam:DeleteAccessKey']),
  m('iam-004', 'principal', ['iam:CreateLoginProfile']),
  m('iam-006', 'principal', ['iam:UpdateLoginProfile']),
  m('iam-012', 'principal', ['iam:UpdateAssumeRolePolicy']),
  m('iam-014', 'principal', ['iam:AttachRolePolicy', 'sts:AssumeRole']),
  m('iam-015', 'principal', ['iam:AttachUserPolicy', 'iam:CreateAccessKey']),
  m('iam-016', 'principal', ['iam:CreatePolicyVersion', 'sts:AssumeRole']),
  m('iam-017', 'principal', ['iam:PutRolePolicy', 'sts:AssumeRole']),
  m('iam-018', 'principal', ['iam:PutUserPolicy', 'iam:CreateAccessKey']),
  m('iam-019', 'principal', ['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy']),
  m('iam-020', 'principal', ['iam:CreatePolicyVersion', 'iam:UpdateAssumeRolePolicy']),
  m('iam-021', 'principal', ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']),
  // iam:PassRole to a new resource that runs as the role
  m('apprunner-001', 'passrole', ['iam:PassRole', 'apprunner:CreateService'], 'tasks.apprunner.amazonaws.com'),
  m('bedrock-001', 'passrole', ['iam:PassRole', 'bedrock-agentcore:CreateCodeInterpreter', 'bedrock-agentcore:StartCodeInterpreterSession'], 'bedrock-agentcore.amazonaws.com'),
  m('cloudformation-001', 'passrole', ['iam:PassRole', 'cloudformation:CreateStack'], CFN),
  m('cloudformation-003', 'passrole', ['iam:PassRole', 'cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'], CFN),
  m('cloudformation-004', 'passrole', ['iam:PassRole', 'cloudformation:UpdateStackSet'], CFN),
  m('codebuild-001', 'passrole', ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'], CODEBUILD),
  m('codebuild-004', 'passrole', ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuildBatch'], CODEBUILD),
  m('datapipeline-001', 'passrole', ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], 'datapipeline.amazonaws.com'),
  m('ec2-001', 'passrole', ['iam:PassRole', 'ec2:RunInstances'], EC2, true),
  m('ec2-003', 'passrole', ['iam:PassRole', 'ec2:RequestSpotInstances'], EC2, true),
  m('ecs-001', 'passrole', ['iam:PassRole', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'], ECS),
  m('ecs-002', 'passrole', ['iam:PassRole', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], ECS),
  m('ecs-003', 'passrole', ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'], ECS),
  m('ecs-004', 'passrole', ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], ECS),
  m('ecs-005', 'passrole', ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:StartTask'], ECS),
  m('glue-001', 'passrole', ['iam:PassRole', 'glue:CreateDevEndpoint'], GLUE),
  m('glue-003', 'passrole', ['iam:PassRole', 'glue:CreateJob', 'glue:StartJobRun'], GLUE),
  m('glue-004', 'passrole', ['iam:PassRole', 'glue:CreateJob', 'glue:CreateTrigger'], GLUE),
  m('glue-005', 'passrole', ['iam:PassRole', 'glue:UpdateJob', 'glue:StartJobRun'], GLUE),
  m('glue-006', 'passrole', ['iam:PassRole', 'glue:UpdateJob', 'glue:CreateTrigger'], GLUE),
  m('lambda-001', 'passrole', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], LAMBDA),
  m('lambda-002', 'passrole', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], LAMBDA),
  m('lambda-006', 'passrole', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:AddPermission'], LAMBDA),
  m('sagemaker-001', 'passrole', ['iam:PassRole', 'sagemaker:CreateNotebookInstance'], SAGEMAKER),
  m('sagemaker-002', 'passrole', ['iam:PassRole', 'sagemaker:CreateTrainingJob'], SAGEMAKER),
  m('sagemaker-003', 'passrole', ['iam:PassRole', 'sagemaker:CreateProcessingJob'], SAGEMAKER),
  // an existing resource that runs as a role
  m('apprunner-002', 'existing', ['apprunner:UpdateService'], 'tasks.apprunner.amazonaws.com'),
  m('bedrock-002', 'existing', ['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], 'bedrock-agentcore.amazonaws.com'),
  m('cloudformation-002', 'existing', ['cloudformation:UpdateStack'], CFN),
  m('cloudformation-005', 'existing', ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], CFN),
  m('codebuild-002', 'existing', ['codebuild:StartBuild'], CODEBUILD),
  m('codebuild-003', 'existing', ['codebuild:StartBuildBatch'], CODEBUILD),
  m('ec2instanceconnect-003', 'existing', ['ec2-instance-connect:SendSSHPublicKey'], EC2, true),
  m('ec2-002', 'existing', ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'], EC2, true),
  m('ec2-004', 'existing', ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'], EC2, true),
  m('glue-002', 'existing', ['glue:UpdateDevEndpoint'], GLUE),
  m('lambda-003', 'existing', ['lambda:UpdateFunctionCode'], LAMBDA),
  m('lambda-004', 'existing', ['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'], LAMBDA),
  m('lambda-005', 'existing', ['lambda:UpdateFunctionCode', 'lambda:AddPermission'], LAMBDA),
  m('sagemaker-004', 'existing', ['sagemaker:CreatePresignedNotebookInstanceUrl'], SAGEMAKER),
  m('sagemaker-005', 'existing', ['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:StopNotebookInstance', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance'], SAGEMAKER),
  m('ssm-001', 'existing', ['ssm:StartSession'], EC2, true),
  m('ssm-002', 'existing', ['ssm:SendCommand'], EC2, true),
]

/** https://pathfinding.cloud/paths/<id> */
export function methodLink(id: string): string {
  return `https://pathfinding.cloud/paths/${id}`
}
