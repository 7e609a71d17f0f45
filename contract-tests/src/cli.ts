// `contracts <command>`: the steps of the contract pipeline that are not tests.
//   tidy          drop repeated interactions from the pact files (between the consumer and provider phases)
//   publish       publish the pact files to a Pact Broker (skipped without PACT_BROKER_BASE_URL)
//   can-i-deploy  ask the broker whether the hop server and the integration can go to PACT_BROKER_ENVIRONMENT
import { BrokerConfigError, brokerConfig, canIDeploy, publishPacts, BROKER_ENV } from './broker.js'
import { pactFilesIn, tidyPactFile } from './pact-files.js'
import { PACT_DIR } from './paths.js'

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
}

const USAGE = 'usage: contracts <tidy | publish | can-i-deploy>'

export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
  pactDir: string = PACT_DIR
): Promise<number> {
  const [command, ...rest] = args
  if (rest.length > 0 || !command) {
    io.err(USAGE)
    return EXIT.usage
  }
  switch (command) {
    case 'tidy':
      return tidy(pactDir, io)
    case 'publish':
    case 'can-i-deploy':
      return broker(command, env, io, pactDir)
    default:
      io.err(`unknown command "${command}"; ${USAGE}`)
      return EXIT.usage
  }
}

function tidy(pactDir: string, io: CliIo): number {
  for (const file of pactFilesIn(pactDir)) {
    const removed = tidyPactFile(file)
    if (removed > 0) io.out(`${file}: removed ${removed} repeated interaction(s)`)
  }
  return EXIT.ok
}

async function broker(command: 'publish' | 'can-i-deploy', env: NodeJS.ProcessEnv, io: CliIo, pactDir: string) {
  let config
  try {
    config = brokerConfig(env)
  } catch (error) {
    if (!(error instanceof BrokerConfigError)) throw error
    io.err(`contracts ${command}: ${error.message}`)
    return EXIT.usage
  }
  if (!config) {
    io.out(`contracts ${command}: skipped, ${BROKER_ENV.baseUrl} is not set (no Pact Broker configured).`)
    return EXIT.ok
  }
  try {
    if (command === 'publish') {
      const files = pactFilesIn(pactDir)
      if (files.length === 0) {
        io.err(`contracts publish: no pact files in ${pactDir}; run the consumer tests first`)
        return EXIT.failed
      }
      for (const line of await publishPacts(config, files)) io.out(`published ${line}`)
      return EXIT.ok
    }
    const verdicts = await canIDeploy(config)
    for (const v of verdicts)
      io.out(`${v.deployable ? 'yes' : 'NO '} ${v.pacticipant} ${config.version} → ${config.environment}: ${v.reason}`)
    return verdicts.every((v) => v.deployable) ? EXIT.ok : EXIT.failed
  } catch (error) {
    io.err(`contracts ${command}: ${(error as Error).message}`)
    return EXIT.failed
  }
}
