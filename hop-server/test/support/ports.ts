// Kept as the hop server tests' import path; the helper itself lives in the repository's shared test-support.
export { freePort } from '../../../test-support/ports.js'
