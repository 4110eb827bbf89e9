import { describe } from 'vitest'
import { conformanceSuite } from '../support/sigv4-conformance.js'

describe('AWS SigV4 test suite (workerd)', conformanceSuite)
