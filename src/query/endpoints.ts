// Endpoint facts taken from models/partitions.json and the IAM/STS endpoint rule sets
// (botocore 1.43.11), as a table: reading the JSON at run time would ship 20 KB to every bundle.

export interface ResolvedEndpoint {
  /** base URL requests go to, ending in `/` */
  readonly url: string
  /** region the request is signed for */
  readonly signingRegion: string
  readonly partition: string
}

export interface Partition {
  readonly id: string
  readonly dnsSuffix: string
  /** IAM is global per partition: one host, signed for one region (the rule set's authSchemes) */
  readonly iamHost: string
  readonly iamSigningRegion: string
}

// [region prefix, partition, dnsSuffix, IAM signing region, IAM host when not iam.<region>.<suffix>].
// The prefixes stand for partitions.json's regionRegex values; longer prefixes come first.
const TABLE: readonly (readonly [string, string, string, string, string?])[] = [
  ['us-gov-', 'aws-us-gov', 'amazonaws.com', 'us-gov-west-1', 'iam.us-gov.amazonaws.com'],
  ['us-isob-', 'aws-iso-b', 'sc2s.sgov.gov', 'us-isob-east-1'],
  ['us-isof-', 'aws-iso-f', 'csp.hci.ic.gov', 'us-isof-south-1'],
  ['us-iso-', 'aws-iso', 'c2s.ic.gov', 'us-iso-east-1'],
  ['eu-isoe-', 'aws-iso-e', 'cloud.adc-e.uk', 'eu-isoe-west-1'],
  ['eusc-', 'aws-eusc', 'amazonaws.eu', 'eusc-de-east-1'],
  ['cn-', 'aws-cn', 'amazonaws.com.cn', 'cn-north-1'],
  ['', 'aws', 'amazonaws.com', 'us-east-1', 'iam.amazonaws.com'],
]

// pure annotations: a bundle that never resolves an endpoint (iam-edge/fetch) drops these tables
const PARTITIONS: readonly Partition[] = /* @__PURE__ */ TABLE.map(([, id, dnsSuffix, iamSigningRegion, host]) => ({
  id,
  dnsSuffix,
  iamSigningRegion,
  iamHost: host ?? `iam.${iamSigningRegion}.${dnsSuffix}`,
}))

// partitions.json lists `<partition>-global` pseudo-regions; they name a partition, not a place
function globalPartition(region: string): string | undefined {
  const id = region.endsWith('-global') ? region.slice(0, -'-global'.length) : undefined
  return TABLE.some((row) => row[1] === id) ? id : undefined
}

const DEFAULT_REGION = 'us-east-1'

// DNS suffixes of every partition, standard and dual-stack (partitions.json outputs), longest first
const SUFFIXES: readonly string[] = /* @__PURE__ */ [
  'amazonaws.com.cn', 'api.amazonwebservices.com.cn', 'amazonaws.eu', 'api.amazonwebservices.eu', 'c2s.ic.gov', 'api.aws.ic.gov',
  'sc2s.sgov.gov', 'api.aws.scloud', 'cloud.adc-e.uk', 'api.cloud-aws.adc-e.uk', 'csp.hci.ic.gov', 'api.aws.hci.ic.gov',
  'amazonaws.com', 'api.aws',
].sort((a, b) => b.length - a.length)

/**
 * The region an AWS IAM or STS host signs for, read from the host itself:
 * `iam.amazonaws.com` and `sts.amazonaws.com` (and their `-fips` forms) us-east-1, the partitions'
 * global IAM hosts (`iam.us-gov.amazonaws.com` → us-gov-west-1), and `<service>[-fips].<region>.<suffix>`
 * their region (`sts.us-gov-east-1.amazonaws.com`, `sts.cn-northwest-1.amazonaws.com.cn`,
 * `sts-fips.us-east-2.amazonaws.com`, `sts.eu-west-1.api.aws`). Undefined for any other host.
 */
export function signingRegionOfHost(service: 'iam' | 'sts', hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  const prefix = [`${service}.`, `${service}-fips.`].find((p) => host.startsWith(p))
  if (prefix === undefined) return undefined
  const rest = host.slice(prefix.length)
  for (const p of PARTITIONS) if (service === 'iam' && p.iamHost.slice('iam.'.length) === rest) return p.iamSigningRegion
  if (rest === 'amazonaws.com' || rest === 'api.aws') return DEFAULT_REGION
  const suffix = SUFFIXES.find((s) => rest.endsWith(`.${s}`))
  if (suffix === undefined) return undefined
  const region = rest.slice(0, -suffix.length - 1)
  if (region === 'us-gov' && service === 'iam') return 'us-gov-west-1'
  return /^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(region) ? region : undefined
}
const REGION_SHAPE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/** The partition a region belongs to; an unknown but well-formed region falls in `aws`, as the SDKs do. */
export function partitionOf(region: string): Partition {
  const named = globalPartition(region)
  const index = TABLE.findIndex(([prefix, id]) => (named === undefined ? region.startsWith(prefix) : id === named))
  // the last entry, `aws`, has the empty prefix and matches whatever is left
  return PARTITIONS[index] ?? (PARTITIONS[PARTITIONS.length - 1] as Partition)
}

export function resolveEndpoint(service: 'iam' | 'sts', options: { region?: string | undefined; endpoint?: string | undefined }): ResolvedEndpoint {
  const { region, endpoint } = options
  if (region !== undefined && !REGION_SHAPE.test(region)) {
    throw new RangeError(`region: ${JSON.stringify(region)} is not a region name`)
  }
  if (endpoint !== undefined) {
    const url = new URL(endpoint)
    if (!url.pathname.endsWith('/')) url.pathname += '/'
    // an AWS host decides its own signing region; any other (moto, a proxy) signs for `region`
    const signingRegion = signingRegionOfHost(service, url.hostname) ?? (region === undefined || globalPartition(region) !== undefined ? DEFAULT_REGION : region)
    return { url: url.href, signingRegion, partition: partitionOf(signingRegion).id }
  }
  if (service === 'iam') {
    const p = partitionOf(region ?? DEFAULT_REGION)
    return { url: `https://${p.iamHost}/`, signingRegion: p.iamSigningRegion, partition: p.id }
  }
  // STS: the global endpoint only when asked for it (or no region), as the STS rule set does by default
  if (region === undefined || region === 'aws-global') {
    return { url: 'https://sts.amazonaws.com/', signingRegion: DEFAULT_REGION, partition: 'aws' }
  }
  const p = partitionOf(region)
  if (globalPartition(region) !== undefined) {
    throw new RangeError(`region: ${region} has no STS endpoint; give a real region of the ${p.id} partition`)
  }
  return { url: `https://sts.${region}.${p.dnsSuffix}/`, signingRegion: region, partition: p.id }
}
