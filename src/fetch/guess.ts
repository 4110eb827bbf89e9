// Which service and region a URL signs for, read from its host by the same rules aws4fetch uses,
// so code moving from aws4fetch signs the same requests: AWS endpoints (regional, global, FIPS,
// dual-stack, S3 virtual hosts and legacy s3-<region> hosts), Lambda function URLs, Cloudflare R2
// and Backblaze B2. A differential test holds the two to the same answers.

// endpoint prefixes whose signing name differs
const SIGNING_NAMES: Readonly<Record<string, string>> = {
  appstream2: 'appstream',
  cloudhsmv2: 'cloudhsm',
  email: 'ses',
  marketplace: 'aws-marketplace',
  mobile: 'AWSMobileHubService',
  pinpoint: 'mobiletargeting',
  queue: 'sqs',
  'git-codecommit': 'codecommit',
  'mturk-requester-sandbox': 'mturk-requester',
  'personalize-runtime': 'personalize',
}

const AWS_HOST = /([^.]{1,63})\.(?:([^.]{0,63})\.)?amazonaws\.com(?:\.cn)?$/

/** `[service, region]`, either '' when the host does not say. */
export function guessServiceRegion(url: URL, headers: Headers): [string, string] {
  const { hostname, pathname } = url
  if (hostname.endsWith('.on.aws')) {
    const m = /^[^.]{1,63}\.lambda-url\.([^.]{1,63})\.on\.aws$/.exec(hostname)
    return m ? ['lambda', m[1] ?? ''] : ['', '']
  }
  if (hostname.endsWith('.r2.cloudflarestorage.com')) return ['s3', 'auto']
  if (hostname.endsWith('.backblazeb2.com')) {
    const m = /^(?:[^.]{1,63}\.)?s3\.([^.]{1,63})\.backblazeb2\.com$/.exec(hostname)
    return m ? ['s3', m[1] ?? ''] : ['', '']
  }
  const m = AWS_HOST.exec(hostname.replace('dualstack.', ''))
  let service = m?.[1] ?? ''
  let region = m?.[2]
  if (region === 'us-gov') region = 'us-gov-west-1'
  else if (region === 's3' || region === 's3-accelerate') {
    // <bucket>.s3.amazonaws.com, <bucket>.s3-accelerate.amazonaws.com
    region = 'us-east-1'
    service = 's3'
  } else if (service === 'iot') {
    if (hostname.startsWith('iot.')) service = 'execute-api'
    else if (hostname.startsWith('data.jobs.iot.')) service = 'iot-jobs-data'
    else service = pathname === '/mqtt' ? 'iotdevicegateway' : 'iotdata'
  } else if (service === 'autoscaling') {
    const target = (headers.get('x-amz-target') ?? '').split('.')[0]
    if (target === 'AnyScaleFrontendService') service = 'application-autoscaling'
    else if (target === 'AnyScaleScalingPlannerFrontendService') service = 'autoscaling-plans'
  } else if (region === undefined && service.startsWith('s3-')) {
    // s3-<region>.amazonaws.com, s3-fips-<region>, s3-external-1
    region = service.slice(3).replace(/^fips-|^external-1/, '')
    service = 's3'
  } else if (service.endsWith('-fips')) {
    service = service.slice(0, -5)
  } else if (region && /-\d$/.test(service) && !/-\d$/.test(region)) {
    // the older <region>.<service>.amazonaws.com form
    ;[service, region] = [region, service]
  }
  return [SIGNING_NAMES[service] ?? service, region ?? '']
}
