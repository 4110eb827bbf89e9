import { describe, expect, it } from 'vitest'
import { partitionOf, resolveEndpoint, signingRegionOfHost } from '../../src/query/endpoints.js'

describe('IAM endpoints', () => {
  it.each([
    [undefined, 'https://iam.amazonaws.com/', 'us-east-1', 'aws'],
    ['eu-west-1', 'https://iam.amazonaws.com/', 'us-east-1', 'aws'],
    ['aws-global', 'https://iam.amazonaws.com/', 'us-east-1', 'aws'],
    ['cn-northwest-1', 'https://iam.cn-north-1.amazonaws.com.cn/', 'cn-north-1', 'aws-cn'],
    ['us-gov-east-1', 'https://iam.us-gov.amazonaws.com/', 'us-gov-west-1', 'aws-us-gov'],
    ['us-iso-west-1', 'https://iam.us-iso-east-1.c2s.ic.gov/', 'us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'https://iam.us-isob-east-1.sc2s.sgov.gov/', 'us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'https://iam.eu-isoe-west-1.cloud.adc-e.uk/', 'eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-east-1', 'https://iam.us-isof-south-1.csp.hci.ic.gov/', 'us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'https://iam.eusc-de-east-1.amazonaws.eu/', 'eusc-de-east-1', 'aws-eusc'],
    ['aws-us-gov-global', 'https://iam.us-gov.amazonaws.com/', 'us-gov-west-1', 'aws-us-gov'],
    ['aws-iso-b-global', 'https://iam.us-isob-east-1.sc2s.sgov.gov/', 'us-isob-east-1', 'aws-iso-b'],
  ])('region %s → %s signed for %s', (region, url, signingRegion, partition) => {
    expect(resolveEndpoint('iam', { region })).toEqual({ url, signingRegion, partition })
  })
})

describe('STS endpoints', () => {
  it('uses the global endpoint without a region or for aws-global', () => {
    expect(resolveEndpoint('sts', {})).toEqual({ url: 'https://sts.amazonaws.com/', signingRegion: 'us-east-1', partition: 'aws' })
    expect(resolveEndpoint('sts', { region: 'aws-global' }).url).toBe('https://sts.amazonaws.com/')
  })

  it.each([
    ['eu-central-1', 'https://sts.eu-central-1.amazonaws.com/'],
    ['us-east-1', 'https://sts.us-east-1.amazonaws.com/'],
    ['cn-north-1', 'https://sts.cn-north-1.amazonaws.com.cn/'],
    ['us-gov-west-1', 'https://sts.us-gov-west-1.amazonaws.com/'],
    ['us-iso-east-1', 'https://sts.us-iso-east-1.c2s.ic.gov/'],
  ])('regional %s → %s, signed for the region', (region, url) => {
    expect(resolveEndpoint('sts', { region })).toMatchObject({ url, signingRegion: region })
  })

  it('refuses a pseudo-region of another partition', () => {
    expect(() => resolveEndpoint('sts', { region: 'aws-cn-global' })).toThrow(/no STS endpoint/)
  })
})

describe('custom endpoints', () => {
  it('signs for the given region, else us-east-1, and keeps the path', () => {
    expect(resolveEndpoint('iam', { endpoint: 'http://127.0.0.1:5000' })).toMatchObject({ url: 'http://127.0.0.1:5000/', signingRegion: 'us-east-1' })
    expect(resolveEndpoint('sts', { endpoint: 'https://proxy.example.test/sts', region: 'eu-west-2' })).toMatchObject({
      url: 'https://proxy.example.test/sts/',
      signingRegion: 'eu-west-2',
    })
  })

  it('signs a pseudo-region endpoint for us-east-1', () => {
    expect(resolveEndpoint('iam', { endpoint: 'http://localhost:4566', region: 'aws-global' }).signingRegion).toBe('us-east-1')
  })

  it('rejects a malformed region', () => {
    expect(() => resolveEndpoint('iam', { region: 'eu west 1' })).toThrow(RangeError)
  })

  it('puts unknown well-formed regions in the aws partition', () => {
    expect(partitionOf('xx-nowhere-9').id).toBe('aws')
  })
})

describe('the signing region of an AWS host', () => {
  it.each([
    ['iam', 'iam.amazonaws.com', 'us-east-1'],
    ['iam', 'iam-fips.amazonaws.com', 'us-east-1'],
    ['iam', 'iam.us-gov.amazonaws.com', 'us-gov-west-1'],
    ['iam', 'iam-fips.us-gov.amazonaws.com', 'us-gov-west-1'],
    ['iam', 'iam.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['iam', 'iam.us-iso-east-1.c2s.ic.gov', 'us-iso-east-1'],
    ['iam', 'IAM.AMAZONAWS.COM.', 'us-east-1'],
    ['sts', 'sts.amazonaws.com', 'us-east-1'],
    ['sts', 'sts.us-gov-east-1.amazonaws.com', 'us-gov-east-1'],
    ['sts', 'sts.cn-northwest-1.amazonaws.com.cn', 'cn-northwest-1'],
    ['sts', 'sts-fips.us-east-2.amazonaws.com', 'us-east-2'],
    ['sts', 'sts-fips.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    ['sts', 'sts.eu-west-1.api.aws', 'eu-west-1'],
    ['sts', 'sts.eusc-de-east-1.amazonaws.eu', 'eusc-de-east-1'],
  ] as const)('%s at %s signs for %s', (service, host, region) => {
    expect(signingRegionOfHost(service, host)).toBe(region)
  })

  it.each([
    ['iam', '127.0.0.1'],
    ['iam', 'localhost'],
    ['iam', 'sts.amazonaws.com'],
    ['sts', 'sts.example.com'],
    ['sts', 'sts.not a region.amazonaws.com'],
    ['iam', 'iam.amazonaws.com.evil.example'],
  ] as const)('%s at %s is not recognized', (service, host) => {
    expect(signingRegionOfHost(service, host)).toBeUndefined()
  })

  it('decides the signing region of an explicit AWS endpoint, whatever region is configured', () => {
    expect(resolveEndpoint('sts', { endpoint: 'https://sts.us-gov-east-1.amazonaws.com' })).toEqual({ url: 'https://sts.us-gov-east-1.amazonaws.com/', signingRegion: 'us-gov-east-1', partition: 'aws-us-gov' })
    expect(resolveEndpoint('iam', { endpoint: 'https://iam.amazonaws.com', region: 'eu-west-1' }).signingRegion).toBe('us-east-1')
    expect(resolveEndpoint('iam', { endpoint: 'http://127.0.0.1:5000', region: 'eu-west-1' }).signingRegion).toBe('eu-west-1')
    expect(resolveEndpoint('iam', { endpoint: 'http://127.0.0.1:5000' }).signingRegion).toBe('us-east-1')
  })
})
