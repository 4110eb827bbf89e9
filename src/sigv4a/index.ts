export { signRequestV4a, presignRequestV4a, SignerV4a, type SignOptionsV4a } from './sign.js'
export { verifyRequestV4a } from './verify.js'
export { deriveKeyPairV4a, ALGORITHM_V4A, type KeyPairV4a } from './key.js'
