// JSON schemas of the hop API (docs/bridge-contract.md). fastify validates requests with them and
// @fastify/swagger publishes them at /docs/json. Unknown fields are refused (400), so typos do not pass silently.

import { BACKEND_NAMES, DEFAULT_BACKEND } from '../backends/chat-backend.js'

/** Salesforce ids are 15 or 18 characters; the prefix names the object type. */
const sfId = (prefix: string) => ({ type: 'string', pattern: `^${prefix}[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$` }) as const
const FIELD_NAME = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,79}$' } as const

export const LIMITS = {
  idMaxLength: 200,
  urlMaxLength: 2048,
  visitorMessageMaxChars: 32_000,
  prechatDetailsMax: 50,
  prechatValueMaxChars: 32_000,
  prechatEntitiesMax: 20,
  transcriptMaxLines: 1000,
  transcriptLineMaxChars: 10_000,
  buttonOverridesMax: 20,
  backendNameMaxLength: 64,
} as const

const opaqueId = { type: 'string', minLength: 1, maxLength: LIMITS.idMaxLength } as const

export const liveAgentTargetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['endpoint', 'organizationId', 'deploymentId', 'buttonId', 'apiVersion'],
  properties: {
    endpoint: { type: 'string', minLength: 1, maxLength: LIMITS.urlMaxLength, description: 'Chat API base URL' },
    organizationId: sfId('00D'),
    deploymentId: sfId('572'),
    buttonId: sfId('573'),
    apiVersion: { type: 'string', pattern: '^[1-9][0-9]{1,2}$', description: 'X-LIVEAGENT-API-VERSION, e.g. "63"' },
    buttonOverrides: {
      type: 'array',
      maxItems: LIMITS.buttonOverridesMax,
      items: { type: 'string', pattern: '^[A-Za-z0-9]{15,18}(_[A-Za-z0-9]{15,18})?$' },
    },
  },
} as const

const entitySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entityName', 'entityFieldsMaps'],
  properties: {
    entityName: FIELD_NAME,
    showOnCreate: { type: 'boolean' },
    linkToEntityName: FIELD_NAME,
    linkToEntityField: FIELD_NAME,
    saveToTranscript: FIELD_NAME,
    entityFieldsMaps: {
      type: 'array',
      maxItems: LIMITS.prechatDetailsMax,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['fieldName', 'label', 'doFind', 'isExactMatch', 'doCreate'],
        properties: {
          fieldName: FIELD_NAME,
          label: { type: 'string', minLength: 1, maxLength: 100 },
          doFind: { type: 'boolean' },
          isExactMatch: { type: 'boolean' },
          doCreate: { type: 'boolean' },
        },
      },
    },
  },
} as const

export const createChatBodySchema = {
  type: 'object',
  additionalProperties: false,
  // The backend's target (liveAgent or enhancedChat) is checked by that backend, with a message naming the field.
  required: ['conversationId', 'webhookUrl', 'visitor'],
  properties: {
    // Any string: the hop server answers an unknown name with a 400 that lists the known ones (chat-service.ts).
    backend: {
      type: 'string',
      minLength: 1,
      maxLength: LIMITS.backendNameMaxLength,
      description: `The Salesforce backend: ${BACKEND_NAMES.join(' or ')} (default ${DEFAULT_BACKEND})`,
    },
    conversationId: opaqueId,
    webhookUrl: { type: 'string', minLength: 1, maxLength: LIMITS.urlMaxLength },
    liveAgent: liveAgentTargetSchema,
    enhancedChat: {
      type: 'object',
      additionalProperties: false,
      required: ['scrtUrl', 'orgId', 'esDeveloperName'],
      properties: {
        scrtUrl: { type: 'string', minLength: 1, maxLength: LIMITS.urlMaxLength },
        orgId: { type: 'string', minLength: 1, maxLength: 18 },
        esDeveloperName: { type: 'string', minLength: 1, maxLength: 80 },
        routingAttributes: {
          type: 'object',
          maxProperties: 100,
          additionalProperties: { type: 'string', maxLength: LIMITS.prechatValueMaxChars },
        },
      },
    },
    visitor: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 80 },
        language: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$' },
        userAgent: { type: 'string', maxLength: 512 },
        screenResolution: { type: 'string', pattern: '^[0-9]{1,5}x[0-9]{1,5}$' },
      },
    },
    prechatDetails: {
      type: 'array',
      maxItems: LIMITS.prechatDetailsMax,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['label', 'value'],
        properties: {
          label: { type: 'string', minLength: 1, maxLength: 100 },
          value: { type: 'string', maxLength: LIMITS.prechatValueMaxChars },
          transcriptFields: { type: 'array', maxItems: 10, items: FIELD_NAME },
          displayToAgent: { type: 'boolean' },
          entityMaps: {
            type: 'array',
            maxItems: 10,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['entityName', 'fieldName'],
              properties: {
                entityName: FIELD_NAME,
                fieldName: FIELD_NAME,
                fastFill: { type: 'boolean' },
                autoQuery: { type: 'boolean' },
                exactMatch: { type: 'boolean' },
              },
            },
          },
        },
      },
    },
    prechatEntities: { type: 'array', maxItems: LIMITS.prechatEntitiesMax, items: entitySchema },
    transcript: {
      type: 'array',
      maxItems: LIMITS.transcriptMaxLines,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['role', 'text'],
        properties: {
          role: { type: 'string', enum: ['visitor', 'bot', 'agent'] },
          text: { type: 'string', maxLength: LIMITS.transcriptLineMaxChars },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
    transcriptDelivery: {
      type: 'object',
      additionalProperties: false,
      required: ['mode'],
      properties: {
        mode: { type: 'string', enum: ['summary', 'messages', 'none'] },
        prechatField: FIELD_NAME,
      },
    },
  },
} as const

const agentSchema = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const

export const chatViewSchema = {
  type: 'object',
  required: ['chatId', 'conversationId', 'state'],
  properties: {
    chatId: { type: 'string' },
    conversationId: { type: 'string' },
    state: { type: 'string', enum: ['connecting', 'queued', 'agent', 'ended'] },
    queuePosition: { type: 'integer' },
    estimatedWaitTime: { type: 'number' },
    agent: agentSchema,
    endReason: { type: 'string', enum: ['agent', 'visitor', 'no_agent', 'timeout', 'error'] },
    endDetail: { type: 'string' },
  },
} as const

export const createChatResponseSchema = {
  ...chatViewSchema,
  required: [...chatViewSchema.required, 'created'],
  properties: { ...chatViewSchema.properties, created: { type: 'boolean' } },
} as const

export const errorSchema = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const

export const chatParamsSchema = {
  type: 'object',
  required: ['chatId'],
  properties: { chatId: { type: 'string', pattern: '^chat_[A-Za-z0-9]{10,40}$' } },
} as const

export const messageBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['messageId', 'text'],
  properties: {
    messageId: opaqueId,
    text: { type: 'string', minLength: 1, maxLength: LIMITS.visitorMessageMaxChars },
  },
} as const

export const messageResponseSchema = {
  type: 'object',
  required: ['accepted', 'duplicate'],
  properties: { accepted: { type: 'boolean' }, duplicate: { type: 'boolean' } },
} as const

export const typingBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['typing'],
  properties: { typing: { type: 'boolean' } },
} as const

export const endBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', enum: ['visitor', 'timeout', 'error'] } },
} as const

export const endResponseSchema = {
  type: 'object',
  required: ['state'],
  properties: { state: { type: 'string', enum: ['ended'] } },
} as const

export const acceptedSchema = {
  type: 'object',
  required: ['accepted'],
  properties: { accepted: { type: 'boolean' } },
} as const

export const availabilityQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['endpoint', 'organizationId', 'deploymentId', 'buttonId', 'apiVersion'],
  properties: {
    endpoint: liveAgentTargetSchema.properties.endpoint,
    organizationId: liveAgentTargetSchema.properties.organizationId,
    deploymentId: liveAgentTargetSchema.properties.deploymentId,
    buttonId: liveAgentTargetSchema.properties.buttonId,
    apiVersion: liveAgentTargetSchema.properties.apiVersion,
  },
} as const

export const availabilityResponseSchema = {
  type: 'object',
  required: ['available', 'buttons'],
  properties: {
    available: { type: 'boolean' },
    buttons: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'available'],
        properties: {
          id: { type: 'string' },
          available: { type: 'boolean' },
          estimatedWaitTime: { type: 'number' },
        },
      },
    },
  },
} as const
