// BishopFox's IAM Vulnerable (MIT) as ground truth: which principals its Terraform makes
// exploitable, by the method of their first hop; which it does not; and who is admin. Shared by
// the evaluator's tests and the explorer's.
// each scenario's principals the Terraform makes exploitable on their own, with the method of
// their first hop; a user and a role share each scenario's policy
export const SCENARIOS: Record<string, string> = {
  'privesc1-CreateNewPolicyVersion': 'iam-001',
  'privesc3-CreateEC2WithExistingInstanceProfile': 'ec2-001',
  'privesc4-CreateAccessKey': 'iam-002',
  'privesc5-CreateLoginProfile': 'iam-004',
  'privesc6-UpdateLoginProfile': 'iam-006',
  'privesc14-UpdatingAssumeRolePolicy': 'iam-012',
  'privesc15-PassExistingRoleToNewLambdaThenInvoke': 'lambda-001',
  'privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo': 'lambda-002',
  'privesc17-EditExistingLambdaFunctionWithRole': 'lambda-003',
  'privesc18-PassExistingRoleToNewGlueDevEndpoint': 'glue-001',
  'privesc19-UpdateExistingGlueDevEndpoint': 'glue-002',
  'privesc20-PassExistingRoleToCloudFormation': 'cloudformation-001',
  'privesc21-PassExistingRoleToNewDataPipeline': 'datapipeline-001',
  'privesc-CloudFormationUpdateStack': 'cloudformation-002',
  'privesc-codeBuildCreateProjectPassRole': 'codebuild-001',
  'privesc-ec2InstanceConnect': 'ec2instanceconnect-003',
  'privesc-sageMakerCreateNotebookPassRole': 'sagemaker-001',
  'privesc-sageMakerCreatePresignedNotebookURL': 'sagemaker-004',
  'privesc-sageMakerCreateProcessingJobPassRole': 'sagemaker-003',
  'privesc-sageMakerCreateTrainingJobPassRole': 'sagemaker-002',
  'privesc-ssmSendCommand': 'ssm-002',
  'privesc-ssmStartSession': 'ssm-001',
  'fn1-privesc3-partial': 'ec2-001',
  'fn2-exploitableResourceConstraint': 'iam-001',
  'fn3-exploitableConditionConstraint': 'iam-001',
}
// self-escalation that only one of the pair can use on itself
export const ONE_SIDED: Record<string, string> = {
  'user/privesc7-AttachUserPolicy-user': 'iam-008',
  'user/privesc8-AttachGroupPolicy-user': 'iam-010',
  'role/privesc9-AttachRolePolicy-role': 'iam-009',
  'user/privesc10-PutUserPolicy-user': 'iam-007',
  'user/privesc11-PutGroupPolicy-user': 'iam-011',
  'role/privesc12-PutRolePolicy-role': 'iam-005',
  'user/privesc13-AddUserToGroup-user': 'iam-013',
  'role/privesc-AssumeRole-starting-role': 'sts-001',
  'role/privesc-AssumeRole-intermediate-role': 'sts-001',
  'user/privesc-sre-user': 'iam-007',
  'role/privesc-sre-role': 'iam-005',
  'user/fn4-exploitableNotAction-user': 'iam-007',
  'role/fn4-exploitableNotAction-role': 'iam-005',
}
// not exploitable: the false-positive scenarios, the other half of each one-sided pair (a role
// cannot use a user's new policy, a user cannot use a role it cannot assume), privesc2 (IAM-
// Vulnerable's own note: no other version of the policy exists), and principals with no policy
export const NOT_EXPLOITABLE = [
  ...['fp1-allow-and-deny', 'fp2-allow-and-deny-multiple-policies', 'fp3-deny-iam', 'fp4-nonExploitableResourceConstraint', 'fp5-nonExploitableConditionConstraint', 'privesc2-SetExistingDefaultPolicyVersion'].flatMap((s) => [`user/${s}-user`, `role/${s}-role`]),
  'role/privesc7-AttachUserPolicy-role',
  'role/privesc8-AttachGroupPolicy-role',
  'user/privesc9-AttachRolePolicy-user',
  'role/privesc10-PutUserPolicy-role',
  'role/privesc11-PutGroupPolicy-role',
  'user/privesc12-PutRolePolicy-user',
  'role/privesc13-AddUserToGroup-role',
  'user/privesc-AssumeRole-start-user',
  'role/privesc-permissive-role-trust',
]


/** Every exploitable principal (`user/…`, `role/…`) with the method of its first hop. */
export const EXPLOITABLE: ReadonlyArray<readonly [string, string]> = [...Object.entries(SCENARIOS).flatMap(([s, m]) => [[`user/${s}-user`, m] as const, [`role/${s}-role`, m] as const]), ...Object.entries(ONE_SIDED)]

/** The admins: the deployer and the roles the scenarios end in. */
export const ADMINS = ['user/iam-vulnerable-deployer', 'role/privesc-high-priv-service-role', 'role/privesc-AssumeRole-ending-role']
