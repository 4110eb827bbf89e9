// The SigV4a signer as AwsV4Signer loads it on demand (built self-contained: scripts/build.mjs).
export { presignRequestV4a, signRequestV4a } from '../sigv4a/sign.js'
