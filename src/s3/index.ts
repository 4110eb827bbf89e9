export { presignPost, signPolicy, checkCondition, type PresignPostOptions, type PresignedPost, type PostPolicy, type PostCondition, type Match } from './post.js'
export { checkPostPolicy, type PostUpload } from './post-policy.js'
export { signChunked, chunkedBody, encodedLength, STREAMING_MODES, MIN_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, type ChunkedOptions, type ChunkedRequest, type ChunkedBodyOptions, type StreamingMode } from './chunked.js'
export { checksum, createChecksum, checksumAlgorithm, checksumHeader, requiresChecksum, CHECKSUM_ALGORITHMS, type Checksum, type ChecksumAlgorithm } from './checksum.js'
