// How anything the bot says reaches the customer's conversation: a Botpress message whose tags tell the web chat how
// to show it (a bot bubble, an agent bubble, a notice). Bot answers come after a short "typing" pause, as in a real
// widget; copies of the agent's side come at once.
import type { LocalBotpress } from '../botpress/local-botpress.js'
import type { Frontend, MessageRole } from './frontend.js'

export const ROLE_TAG = 'role'
export const AUTHOR_TAG = 'author'

export class Speaker {
  public constructor(
    private readonly _botpress: LocalBotpress,
    private readonly _frontend: Frontend,
    private readonly _typingMs: number
  ) {}

  public async say(conversationId: string, text: string): Promise<void> {
    await this._pause(conversationId)
    await this.post(conversationId, text, 'bot')
  }

  /** A bloc message (items of text and markdown), as the bot. */
  public async sayBloc(conversationId: string, items: unknown[]): Promise<void> {
    await this._pause(conversationId)
    await this._botpress.sendMessage({
      conversationId,
      type: 'bloc',
      payload: { items },
      tags: { [ROLE_TAG]: 'bot' },
    })
  }

  private async _pause(conversationId: string): Promise<void> {
    if (this._typingMs > 0) {
      this._frontend.setTyping(conversationId, { who: 'bot' })
      await new Promise((resolve) => setTimeout(resolve, this._typingMs))
      this._frontend.setTyping(conversationId, null)
    }
  }

  /** Without the typing pause: relayed agent messages, notices, errors. */
  public async post(conversationId: string, text: string, role: MessageRole, author?: string): Promise<void> {
    await this._botpress.sendMessage({
      conversationId,
      text,
      tags: { [ROLE_TAG]: role, ...(author ? { [AUTHOR_TAG]: author } : {}) },
    })
  }
}
