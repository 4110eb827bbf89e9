// simulateCustomPolicy's answers whole, as IAM's response shapes them: paging with MaxItems and
// Marker, ResourceSpecificResults for named resources, the boundary's and organizations' decision
// details, session policies, a resource policy with its caller and owner, each kind of CallerArn,
// MissingContextValues, context entries merged by key, and every InvalidInput named. Read against
// the API reference field by field, then pinned.
import { expect, it } from 'vitest'
import { cachedPolicy, policyCacheSize, simulateCustomPolicy } from '../../src/policy/simulate.js'

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })
const attempt = (f: () => unknown): unknown => {
  try {
    return f()
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`
  }
}
it('answers as IAM’s simulator shapes its response, and names every bad input', () => {
  const out: Record<string, unknown> = {}
  const p = policy({ Sid: 'Get', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*' }, { Sid: 'NoSecret', Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/secret' })
  out.paged = simulateCustomPolicy({ PolicyInputList: [p], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::b/x', 'arn:aws:s3:::b/secret'], MaxItems: 3 })
  out.next = simulateCustomPolicy({ PolicyInputList: [p], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::b/x', 'arn:aws:s3:::b/secret'], MaxItems: 3, Marker: '3' })
  out.badMarker = attempt(() => simulateCustomPolicy({ PolicyInputList: [p], ActionNames: ['s3:GetObject'], Marker: '5' }))
  out.badMarker2 = attempt(() => simulateCustomPolicy({ PolicyInputList: [p], ActionNames: ['s3:GetObject'], Marker: 'x' }))
  out.badMax = [0, 1001, 1.5].map((MaxItems) => attempt(() => simulateCustomPolicy({ PolicyInputList: [p], ActionNames: ['s3:GetObject'], MaxItems })))
  out.boundary = simulateCustomPolicy({ PolicyInputList: [policy({ Effect: 'Allow', Action: '*', Resource: '*' })], PermissionsBoundaryPolicyInputList: [policy({ Sid: 'S3', Effect: 'Allow', Action: 's3:*', Resource: '*' })], ActionNames: ['s3:ListBucket', 'iam:CreateUser'] })
  out.scp = simulateCustomPolicy({ PolicyInputList: [policy({ Effect: 'Allow', Action: '*', Resource: '*' })], ActionNames: ['ec2:RunInstances', 's3:ListBucket'] }, { serviceControlPolicies: [[policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' })]] })
  out.session = simulateCustomPolicy({ PolicyInputList: [policy({ Effect: 'Allow', Action: '*', Resource: '*' })], ActionNames: ['ec2:RunInstances', 's3:ListBucket'] }, { sessionPolicies: [policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' })] })
  const bucket = policy({ Sid: 'Vendor', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/reader' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' })
  out.resource = simulateCustomPolicy({ PolicyInputList: [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })], ResourcePolicy: bucket, CallerArn: 'arn:aws:iam::444455556666:role/reader', ResourceOwner: 'arn:aws:iam::111122223333:root', ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'] })
  out.noCaller = attempt(() => simulateCustomPolicy({ PolicyInputList: [], ResourcePolicy: bucket, ActionNames: ['s3:GetObject'] }))
  out.owners = ['111122223333', 'arn:aws:iam::111122223333:root', 'arn:aws:s3:::b', 'nope'].map((ResourceOwner) => attempt(() => simulateCustomPolicy({ PolicyInputList: [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })], ResourceOwner, ActionNames: ['s3:GetObject'] }).EvaluationResults?.[0]?.EvalDecision))
  // a federated user's session needs a session policy; the root user needs no policy at all
  out.callers = ['arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/a', 'arn:aws:iam::111122223333:role/path/r', 'arn:aws:sts::111122223333:assumed-role/r/s', 'arn:aws:sts::111122223333:federated-user/f', 'arn:aws:s3:::b', 'arn:aws:iam::1:user/a', 'arn:aws:iam::111122223333:group/g'].map((CallerArn) =>
    attempt(() => simulateCustomPolicy({ PolicyInputList: [policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' })], CallerArn, ActionNames: ['s3:GetObject', 's3:ListBucket'] }).EvaluationResults?.map((r) => r.EvalDecision).join(' ')),
  )
  // a role's ARN is simulated as a session of the role: a resource policy naming the role grants it
  out.roleSession = ['arn:aws:iam::111122223333:role/path/r', 'arn:aws:sts::111122223333:assumed-role/r/s', 'arn:aws:iam::111122223333:user/r'].map((CallerArn) =>
    simulateCustomPolicy({ PolicyInputList: [], ResourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/path/r' }, Action: 's3:GetObject', Resource: '*' }), CallerArn, ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'] }).EvaluationResults?.[0]?.EvalDecision,
  )
  out.context = simulateCustomPolicy({ PolicyInputList: [policy({ Sid: 'Ip', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })], ActionNames: ['s3:GetObject'], ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' }] })
  // the same key twice (in any case) is one key with both entries' values
  out.merged = simulateCustomPolicy({ PolicyInputList: [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } } })], ActionNames: ['s3:GetObject'], ContextEntries: [{ ContextKeyName: 'aws:TagKeys', ContextKeyValues: ['a'], ContextKeyType: 'stringList' }, { ContextKeyName: 'AWS:tagkeys', ContextKeyValues: ['c'], ContextKeyType: 'stringList' }] }).EvaluationResults?.[0]?.EvalDecision
  out.contextErrors = [[{ ContextKeyValues: ['x'] }], [{ ContextKeyName: 'k', ContextKeyType: 'text' }], [{ ContextKeyName: 'k', ContextKeyValues: [1] }], [{ ContextKeyName: 'k', ContextKeyValues: ['a', 'b'], ContextKeyType: 'string' }]].map((ContextEntries) => attempt(() => simulateCustomPolicy({ PolicyInputList: [], ActionNames: ['s3:GetObject'], ContextEntries: ContextEntries as never })))
  out.actionErrors = [[], ['s3'], ['s3:Get Object'], [7]].map((ActionNames) => attempt(() => simulateCustomPolicy({ PolicyInputList: [], ActionNames: ActionNames as never })))
  out.noList = attempt(() => simulateCustomPolicy({ ActionNames: ['s3:GetObject'] } as never))
  expect(out).toEqual(EXPECTED)
})

it('keeps each policy read once, by its text and how it is read, within its bounds however many come', () => {
  const text = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })
  const a = cachedPolicy(text, { id: 'A' })
  expect(cachedPolicy(text, { id: 'A' })).toBe(a)
  expect(cachedPolicy(text, { id: 'B' })).not.toBe(a)
  expect(cachedPolicy(text, { id: 'A', role: 'organization' })).not.toBe(a)
  expect(cachedPolicy(text, { id: 'A', kind: 'resource' })).not.toBe(a)
  // a flood of distinct texts evicts the oldest: 2,000 texts at most, 8 MiB of text at most
  for (let i = 0; i < 2100; i++) cachedPolicy(policy({ Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), { id: 'P' })
  expect(policyCacheSize().entries).toBe(2000)
  expect(cachedPolicy(text, { id: 'A' })).not.toBe(a)
  const big = (i: number) => policy({ Sid: `Big${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 700 }, (_, j) => `arn:aws:s3:::bucket-${i}-${j}/${'k'.repeat(150)}`) })
  for (let i = 0; i < 90; i++) cachedPolicy(big(i), { id: 'P' })
  const { entries, chars } = policyCacheSize()
  expect(chars).toBeLessThanOrEqual(8 * 1024 * 1024)
  expect(chars).toBeGreaterThan(7 * 1024 * 1024)
  expect(entries).toBeLessThan(2000)
})

const EXPECTED: Record<string, unknown> = {
  "paged": {
    "EvaluationResults": [
      {
        "EvalActionName": "s3:GetObject",
        "EvalResourceName": "arn:aws:s3:::b/x",
        "EvalDecision": "allowed",
        "MatchedStatements": [
          {
            "SourcePolicyId": "PolicyInputList.1",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 117
            }
          }
        ],
        "MissingContextValues": [],
        "ResourceSpecificResults": [
          {
            "EvalResourceName": "arn:aws:s3:::b/x",
            "EvalResourceDecision": "allowed",
            "MatchedStatements": [
              {
                "SourcePolicyId": "PolicyInputList.1",
                "StartPosition": {
                  "Line": 1,
                  "Column": 39
                },
                "EndPosition": {
                  "Line": 1,
                  "Column": 117
                }
              }
            ],
            "MissingContextValues": []
          }
        ]
      },
      {
        "EvalActionName": "s3:GetObject",
        "EvalResourceName": "arn:aws:s3:::b/secret",
        "EvalDecision": "explicitDeny",
        "MatchedStatements": [
          {
            "SourcePolicyId": "PolicyInputList.1",
            "StartPosition": {
              "Line": 1,
              "Column": 119
            },
            "EndPosition": {
              "Line": 1,
              "Column": 211
            }
          }
        ],
        "MissingContextValues": [],
        "ResourceSpecificResults": [
          {
            "EvalResourceName": "arn:aws:s3:::b/secret",
            "EvalResourceDecision": "explicitDeny",
            "MatchedStatements": [
              {
                "SourcePolicyId": "PolicyInputList.1",
                "StartPosition": {
                  "Line": 1,
                  "Column": 119
                },
                "EndPosition": {
                  "Line": 1,
                  "Column": 211
                }
              }
            ],
            "MissingContextValues": []
          }
        ]
      },
      {
        "EvalActionName": "s3:PutObject",
        "EvalResourceName": "arn:aws:s3:::b/x",
        "EvalDecision": "implicitDeny",
        "MatchedStatements": [],
        "MissingContextValues": [],
        "ResourceSpecificResults": [
          {
            "EvalResourceName": "arn:aws:s3:::b/x",
            "EvalResourceDecision": "implicitDeny",
            "MatchedStatements": [],
            "MissingContextValues": []
          }
        ]
      }
    ],
    "IsTruncated": true,
    "Marker": "3"
  },
  "next": {
    "EvaluationResults": [
      {
        "EvalActionName": "s3:PutObject",
        "EvalResourceName": "arn:aws:s3:::b/secret",
        "EvalDecision": "implicitDeny",
        "MatchedStatements": [],
        "MissingContextValues": [],
        "ResourceSpecificResults": [
          {
            "EvalResourceName": "arn:aws:s3:::b/secret",
            "EvalResourceDecision": "implicitDeny",
            "MatchedStatements": [],
            "MissingContextValues": []
          }
        ]
      }
    ],
    "IsTruncated": false
  },
  "badMarker": "SimulationInputError: Marker \"5\" is not one this simulation gave",
  "badMarker2": "SimulationInputError: Marker \"x\" is not one this simulation gave",
  "badMax": [
    "SimulationInputError: MaxItems is 1..1000",
    "SimulationInputError: MaxItems is 1..1000",
    "SimulationInputError: MaxItems is 1..1000"
  ],
  "boundary": {
    "EvaluationResults": [
      {
        "EvalActionName": "s3:ListBucket",
        "EvalResourceName": "*",
        "EvalDecision": "allowed",
        "MatchedStatements": [
          {
            "SourcePolicyId": "PolicyInputList.1",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 84
            }
          },
          {
            "SourcePolicyId": "PermissionsBoundaryPolicyInputList.1",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 98
            }
          }
        ],
        "MissingContextValues": [],
        "PermissionsBoundaryDecisionDetail": {
          "AllowedByPermissionsBoundary": true
        }
      },
      {
        "EvalActionName": "iam:CreateUser",
        "EvalResourceName": "*",
        "EvalDecision": "implicitDeny",
        "MatchedStatements": [
          {
            "SourcePolicyId": "PolicyInputList.1",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 84
            }
          }
        ],
        "MissingContextValues": [],
        "PermissionsBoundaryDecisionDetail": {
          "AllowedByPermissionsBoundary": false
        }
      }
    ],
    "IsTruncated": false
  },
  "scp": {
    "EvaluationResults": [
      {
        "EvalActionName": "ec2:RunInstances",
        "EvalResourceName": "*",
        "EvalDecision": "explicitDeny",
        "MatchedStatements": [],
        "MissingContextValues": [],
        "OrganizationsDecisionDetail": {
          "AllowedByOrganizations": false
        }
      },
      {
        "EvalActionName": "s3:ListBucket",
        "EvalResourceName": "*",
        "EvalDecision": "allowed",
        "MatchedStatements": [
          {
            "SourcePolicyId": "PolicyInputList.1",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 84
            }
          }
        ],
        "MissingContextValues": [],
        "OrganizationsDecisionDetail": {
          "AllowedByOrganizations": true
        }
      }
    ],
    "IsTruncated": false
  },
  "session": {
    "EvaluationResults": [
      {
        "EvalActionName": "ec2:RunInstances",
        "EvalResourceName": "*",
        "EvalDecision": "implicitDeny",
        "MatchedStatements": [
          {
            "SourcePolicyId": "PolicyInputList.1",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 84
            }
          }
        ],
        "MissingContextValues": []
      },
      {
        "EvalActionName": "s3:ListBucket",
        "EvalResourceName": "*",
        "EvalDecision": "allowed",
        "MatchedStatements": [
          {
            "SourcePolicyId": "PolicyInputList.1",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 84
            }
          },
          {
            "SourcePolicyId": "SessionPolicy.1",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 87
            }
          }
        ],
        "MissingContextValues": []
      }
    ],
    "IsTruncated": false
  },
  "resource": {
    "EvaluationResults": [
      {
        "EvalActionName": "s3:GetObject",
        "EvalResourceName": "arn:aws:s3:::b/k",
        "EvalDecision": "allowed",
        "MatchedStatements": [
          {
            "SourcePolicyId": "PolicyInputList.1",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 95
            }
          },
          {
            "SourcePolicyId": "ResourcePolicy",
            "SourcePolicyType": "resource",
            "StartPosition": {
              "Line": 1,
              "Column": 39
            },
            "EndPosition": {
              "Line": 1,
              "Column": 185
            }
          }
        ],
        "MissingContextValues": [],
        "ResourceSpecificResults": [
          {
            "EvalResourceName": "arn:aws:s3:::b/k",
            "EvalResourceDecision": "allowed",
            "MatchedStatements": [
              {
                "SourcePolicyId": "PolicyInputList.1",
                "StartPosition": {
                  "Line": 1,
                  "Column": 39
                },
                "EndPosition": {
                  "Line": 1,
                  "Column": 95
                }
              },
              {
                "SourcePolicyId": "ResourcePolicy",
                "SourcePolicyType": "resource",
                "StartPosition": {
                  "Line": 1,
                  "Column": 39
                },
                "EndPosition": {
                  "Line": 1,
                  "Column": 185
                }
              }
            ],
            "MissingContextValues": []
          }
        ]
      }
    ],
    "IsTruncated": false
  },
  "noCaller": "SimulationInputError: CallerArn is required with a ResourcePolicy: its Principal needs a caller to match",
  "owners": [
    "allowed",
    "allowed",
    "SimulationInputError: ResourceOwner \"arn:aws:s3:::b\" is not an account (arn:aws:iam::<12 digits>:root)",
    "SimulationInputError: ResourceOwner \"nope\" is not an account (arn:aws:iam::<12 digits>:root)"
  ],
  "callers": [
    "allowed allowed",
    "implicitDeny allowed",
    "implicitDeny allowed",
    "implicitDeny allowed",
    "implicitDeny implicitDeny",
    "SimulationInputError: CallerArn \"arn:aws:s3:::b\" is not an IAM principal's ARN",
    "SimulationInputError: CallerArn \"arn:aws:iam::1:user/a\" is not an IAM principal's ARN",
    "SimulationInputError: CallerArn \"arn:aws:iam::111122223333:group/g\" is not a user, role, role session, federated user or root ARN"
  ],
  "roleSession": [
    "allowed",
    "implicitDeny",
    "implicitDeny"
  ],
  "context": {
    "EvaluationResults": [
      {
        "EvalActionName": "s3:GetObject",
        "EvalResourceName": "*",
        "EvalDecision": "implicitDeny",
        "MatchedStatements": [],
        "MissingContextValues": [
          "aws:RequestedRegion"
        ]
      }
    ],
    "IsTruncated": false
  },
  "merged": "allowed",
  "contextErrors": [
    "SimulationInputError: ContextEntries: every entry needs a ContextKeyName",
    "SimulationInputError: ContextEntries k: ContextKeyType \"text\" is not one of string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList",
    "SimulationInputError: ContextEntries k: ContextKeyValues is a list of strings",
    "SimulationInputError: ContextEntries k: a string key takes one value; use stringList for several"
  ],
  "actionErrors": [
    "SimulationInputError: ActionNames is required: at least one action",
    "SimulationInputError: ActionNames: \"s3\" is not service:Action",
    "SimulationInputError: ActionNames: \"s3:Get Object\" is not service:Action",
    "SimulationInputError: ActionNames: 7 is not service:Action"
  ],
  "noList": "SimulationInputError: PolicyInputList is required: a list of policy documents"
}
