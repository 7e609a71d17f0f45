// Public API of @liveagent-hop/playground: start everything in process (the browser tests do).
export { startPlayground, type Playground, type PlaygroundOptions, type PlaygroundUrls } from './playground.js'
export { DEFAULT_PORTS, DEFAULT_SCENARIO, PLAYGROUND_TENANT } from './defaults.js'
export { PlaygroundUsageError, PortInUseError } from './errors.js'
export { parseCli, USAGE, type CliCommand } from './cli-args.js'
