// The naive baseline's HTTP API: the same routes and signing as the hop server's /v1 (docs/bridge-contract.md),
// so the bench drives both the same way. Chats live in a Map; nothing is stored anywhere else.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifySigned } from '../http/signing.js'
import { NaiveChat } from './naive-chat.js'

export interface NaiveBridgeOptions {
  port: number
  tenant: string
  secret: string
  log(message: string): void
}

interface CreateBody {
  conversationId: string
  webhookUrl: string
  liveAgent: { endpoint: string; organizationId: string; deploymentId: string; buttonId: string; apiVersion: string }
  visitor: { name: string }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

const MESSAGES_PATH = /^\/v1\/chats\/([^/]+)\/messages$/
const END_PATH = /^\/v1\/chats\/([^/]+)\/end$/

export class NaiveBridge {
  private readonly chats = new Map<string, NaiveChat>()
  private readonly byConversation = new Map<string, string>()
  private readonly server: Server

  constructor(private readonly options: NaiveBridgeOptions) {
    this.server = createServer((request, response) => void this.handle(request, response))
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(this.options.port, '127.0.0.1', resolve))
    return (this.server.address() as AddressInfo).port
  }

  get openChats(): number {
    return this.chats.size
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const raw = await readBody(request)
      const path = (request.url ?? '').split('?')[0]!
      if (request.method === 'GET' && path === '/healthz') return send(response, 200, { ok: true })
      const signed = { method: request.method ?? '', target: request.url ?? '', rawBody: raw }
      const verdict = verifySigned(request.headers, signed, this.options.tenant, this.options.secret)
      if (!verdict.ok) throw new HttpError(401, verdict.reason)
      const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {}
      if (request.method === 'POST' && path === '/v1/chats') return send(response, ...(await this.create(body)))
      const message = MESSAGES_PATH.exec(path)
      if (request.method === 'POST' && message) {
        const status = await this.chat(message[1]!).sendMessage(String(body.text ?? ''))
        if (status !== 200) throw new HttpError(502, `ChatMessage answered ${status}`)
        return send(response, 202, { accepted: true, duplicate: false })
      }
      const end = END_PATH.exec(path)
      if (request.method === 'POST' && end) {
        await this.chat(end[1]!).end()
        return send(response, 202, { state: 'ended' })
      }
      throw new HttpError(404, `no route ${request.method} ${path}`)
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500
      send(response, status, { statusCode: status, message: (error as Error).message })
    }
  }

  private async create(body: Record<string, unknown>): Promise<[number, object]> {
    const input = body as unknown as CreateBody
    const known = this.byConversation.get(input.conversationId)
    if (known)
      return [200, { chatId: known, conversationId: input.conversationId, state: 'connecting', created: false }]
    const chatId = `naive_${randomUUID()}`
    const chat = new NaiveChat({
      chatId,
      conversationId: input.conversationId,
      webhookUrl: input.webhookUrl,
      ...input.liveAgent,
      visitorName: input.visitor.name,
      tenant: this.options.tenant,
      secret: this.options.secret,
      onOver: (id) => {
        this.chats.delete(id)
        this.byConversation.delete(input.conversationId)
      },
      log: this.options.log,
    })
    this.chats.set(chatId, chat)
    this.byConversation.set(input.conversationId, chatId)
    try {
      await chat.start()
    } catch (error) {
      this.chats.delete(chatId)
      this.byConversation.delete(input.conversationId)
      throw new HttpError(502, `could not open the Live Agent session: ${(error as Error).message}`)
    }
    return [201, { chatId, conversationId: input.conversationId, state: 'connecting', created: true }]
  }

  private chat(chatId: string): NaiveChat {
    const chat = this.chats.get(decodeURIComponent(chatId))
    if (!chat) throw new HttpError(404, `no chat ${chatId}`)
    return chat
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function send(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}
