export declare const ACCOUNT_ID: string
export declare const SEED_CALL_COUNT: number

/** What the IAM explorer's findings must catch, and hostile strings it must show as text. */
export interface SeedDefects {
  crossAccountRole: string
  otherAccount: string
  passRolePolicy: string
  passRoleUser: string
  hostileDescription: string
  hostileTag: string
}

export declare const SEED: {
  accountAlias: string
  adminUser: string
  users: string[]
  groups: string[]
  roles: string[]
  assumableRole: string
  policies: string[]
  versionedPolicy: string
  instanceProfile: string
  serverCertificate: string
  samlProvider: string
  oidcProviderUrl: string
  userPolicy: string
  groupPolicy: string
  rolePolicy: string
  defects: SeedDefects
}

export interface SeededAccount {
  accountAlias: string
  adminUser: string
  users: string[]
  groups: string[]
  roles: string[]
  assumableRole: string
  policies: string[]
  versionedPolicy: string
  instanceProfile: string
  serverCertificate: string
  samlProvider: string
  oidcProviderUrl: string
  userPolicy: string
  groupPolicy: string
  rolePolicy: string
  defects: SeedDefects
  accountId: string
  endpoint: string
  /** alice's key pair: moto knows the secret, so calls signed with it verify */
  credentials: { accessKeyId: string; secretAccessKey: string }
  botAccessKeyId: string
  policyArns: Record<string, string>
  assumableRoleArn: string
  sshPublicKeyId: string
  mfaSerialNumber: string
  samlProviderArn: string
  oidcProviderArn: string
  deletionTaskId: string
}

export declare function bootstrapCall(endpoint: string, action: string, params?: Record<string, string>): Promise<string>
export declare function seedAccount(endpoint: string): Promise<SeededAccount>
