// A playground-only shortcut, like typing-tap.ts in the other direction: Botpress gives an integration no event for
// "the customer is typing" (sdk 5.4.3), so on Botpress Cloud the agent never sees it. The playground's page does
// send it, and this tap passes it to the hop server's typing endpoint (POST /v1/chats/:chatId/typing, signed with the
// integration's own configuration), so the agent console shows the customer typing as with a Live Agent widget.
import { HopClient, type ConfigurationInput } from '@liveagent-hop/integration'
import type { Logger } from 'pino'

export class CustomerTypingTap {
  private readonly _hop: HopClient

  public constructor(
    configuration: Pick<ConfigurationInput, 'hopServerUrl' | 'tenantId' | 'sharedSecret'>,
    private readonly _logger: Logger
  ) {
    // One attempt: a typing indicator that arrives late is worse than none.
    this._hop = new HopClient({
      baseUrl: configuration.hopServerUrl,
      tenantId: configuration.tenantId,
      secret: configuration.sharedSecret,
      maxAttempts: 1,
    })
  }

  public async typing(chatId: string, typing: boolean): Promise<void> {
    try {
      await this._hop.sendTyping(chatId, typing)
    } catch (error) {
      this._logger.warn({ err: error, chatId }, 'customer typing did not reach the hop server')
    }
  }
}
