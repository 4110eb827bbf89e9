import { describe } from 'vitest'
import { conformanceSuiteV4a } from '../support/sigv4a-conformance.js'

describe('AWS SigV4a test suite (Node)', conformanceSuiteV4a)
