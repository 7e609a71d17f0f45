// Kept as the bench's import path (for processes that must keep their port across restarts); the helper itself
// lives in the repository's shared, dependency-free test-support, as the system-program checks do.
export { freePort } from '../../../test-support/ports.js'
