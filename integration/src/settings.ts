// The configuration as the implementation uses it: parsed (defaults filled in, bad values refused with a sentence),
// with the phrase matchers and system messages built from built-ins plus what the bot builder configured.
import { RuntimeError } from '@botpress/sdk'
import type * as bp from './bp.js'
import { configurationSchema, type Configuration } from './definitions/configuration.js'
import { DEFAULT_SYSTEM_MESSAGES, type SystemMessageKey } from './definitions/locales.js'
import { checkedTarget, type CheckedTarget } from './backend-target.js'
import type { LiveAgentTarget } from './hop-contract.js'
import { HopClient, type HopClientOptions } from './hop-client.js'
import {
  baseLocale,
  checkedRouterFor,
  type CancelMatcher,
  type RouterConfig,
  type TriggerRouter,
} from './router/index.js'

export type MessageParams = { position?: number; waitSeconds?: number }

const SECONDS_PER_MINUTE = 60

/** System message texts for one configuration; an empty configured text means "send nothing". */
export class SystemMessages {
  public constructor(
    private readonly _configured: Configuration['messages'],
    private readonly _defaultLocale: string
  ) {}

  public render(key: SystemMessageKey, locale: string, params: MessageParams = {}): string | null {
    const template = this._template(key, baseLocale(locale))
    if (!template) return null
    return template
      .replaceAll('{position}', params.position === undefined ? '' : String(params.position))
      .replaceAll(
        '{minutes}',
        params.waitSeconds === undefined ? '' : String(Math.max(1, Math.round(params.waitSeconds / SECONDS_PER_MINUTE)))
      )
  }

  private _template(key: SystemMessageKey, locale: string): string {
    const candidates = [locale, baseLocale(this._defaultLocale), 'en']
    for (const candidate of candidates) {
      const configured = this._configured.find((entry) => baseLocale(entry.locale) === candidate)?.[key]
      if (configured !== undefined) return configured.trim()
      const builtIn = DEFAULT_SYSTEM_MESSAGES[candidate]?.[key]
      if (builtIn !== undefined) return builtIn
    }
    return ''
  }
}

export class Settings {
  public readonly triggers: TriggerRouter
  public readonly cancels: CancelMatcher
  public readonly messages: SystemMessages
  /** The Salesforce target of the configured backend, with the hand-off's own button left to `target()`. */
  private readonly _target: CheckedTarget

  public constructor(public readonly config: Configuration) {
    const target = checkedTarget(config)
    if ('problems' in target) {
      const sentences = target.problems.map(({ field, message }) => `${field}: ${message}.`)
      throw new RuntimeError(`The integration configuration is invalid: ${sentences.join(' ')}`)
    }
    this._target = target
    const checked = checkedRouterFor(routerConfigOf(config))
    if ('errors' in checked) {
      throw new RuntimeError(`The integration configuration is invalid: ${checked.errors.join(' ')}`)
    }
    this.triggers = checked.router.triggers
    this.cancels = checked.router.cancels
    this.messages = new SystemMessages(config.messages, config.defaultLocale)
  }

  /** Parses `ctx.configuration`; a bad configuration is a RuntimeError naming the field. */
  public static fromContext(ctx: bp.Context): Settings {
    return Settings.fromConfiguration(ctx.configuration)
  }

  public static fromConfiguration(configuration: unknown): Settings {
    const parsed = configurationSchema.safeParse(configuration)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue?.path.join('.') || 'configuration'
      throw new RuntimeError(
        `The integration configuration is invalid: ${field}: ${issue?.message ?? 'invalid value'}.`
      )
    }
    return new Settings(parsed.data)
  }

  public get defaultLocale(): string {
    return baseLocale(this.config.defaultLocale)
  }

  public get backend(): CheckedTarget['backend'] {
    return this._target.backend
  }

  /** The checked target; a Live Agent hand-off may name its own button (the HITL session's `buttonId`). */
  public target(buttonId?: string): CheckedTarget {
    if (this._target.backend !== 'live-agent' || !buttonId) return this._target
    return { backend: 'live-agent', liveAgent: { ...this._target.liveAgent, buttonId } }
  }

  /** The Live Agent target, for the calls only Live Agent has (availability); null with Enhanced Chat. */
  public liveAgentTarget(buttonId?: string): LiveAgentTarget | null {
    const target = this.target(buttonId)
    return target.backend === 'live-agent' ? target.liveAgent : null
  }

  public hopClient(options: Pick<HopClientOptions, 'maxAttempts'> = {}): HopClient {
    const { config } = this
    return new HopClient({
      baseUrl: config.hopServerUrl,
      tenantId: config.tenantId,
      secret: config.sharedSecret,
      ...options,
    })
  }

  public visitorName(user: { name?: string; email?: string }): string {
    const FALLBACK_NAME = 'Visitor'
    // What the HITL plugin calls a customer without a name (user-linker.ts): no more than our neutral fallback.
    const PLUGIN_UNKNOWN_NAME = 'Unknown User'
    const given = user.name?.trim()
    const name = this.config.visitorNameTemplate
      .replaceAll('{name}', given && given !== PLUGIN_UNKNOWN_NAME ? given : FALLBACK_NAME)
      .replaceAll('{email}', user.email?.trim() ?? '')
      .replace(/\s+/g, ' ')
      .trim()
    return name || FALLBACK_NAME
  }
}

/** The router's part of the configuration. */
export const routerConfigOf = (config: Configuration): RouterConfig => ({
  useBuiltInVocabulary: config.useBuiltInPhrases,
  triggerPhrases: config.triggerPhrases,
  cancelPhrases: config.cancelPhrases,
  triggerCues: config.triggerCues,
  triggerTargets: config.triggerTargets,
  neverTriggerPhrases: config.neverTriggerPhrases,
  requestCheck: config.requestCheck,
})
