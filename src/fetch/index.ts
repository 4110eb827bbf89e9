export { AwsClient, type AwsClientOptions, type AwsRequestInit } from './client.js'
export { AwsV4Signer, type AwsSignOptions, type AwsV4SignerInit } from './signer.js'
export { guessServiceRegion } from './guess.js'
