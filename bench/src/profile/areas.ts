// The groups a CPU profile's self time is sorted into, and which npm packages and Node built-in modules belong to
// each. One table, so the rules that read it (attribute.ts) and the report agree on names and order.

export const GROUPS = {
  store: 'store (better-sqlite3, ioredis, hop-server/src/store)',
  httpOut: 'HTTP out (got, undici, node http/net/tls)',
  httpIn: 'HTTP in (fastify, node:_http_server)',
  logging: 'logging (pino)',
  own: 'own code (hop-server/src)',
  node: 'node internals',
  packages: 'other node_modules',
  other: 'other files',
  gc: 'garbage collector',
  program: '(program): native code outside JavaScript',
  idle: 'idle',
} as const

export type GroupId = keyof typeof GROUPS

/** npm packages by group (anything else is in `packages`, under its own name). Their own dependencies included. */
export const PACKAGE_GROUPS: Readonly<Record<string, GroupId>> = {
  ...fill('store', [
    'better-sqlite3',
    'bindings',
    'file-uri-to-path',
    'ioredis',
    '@ioredis/commands',
    'redis-parser',
    'redis-errors',
    'denque',
    'cluster-key-slot',
    'standard-as-callback',
    'lodash.defaults',
    'lodash.isarguments',
  ]),
  ...fill('httpOut', [
    'got',
    'undici',
    '@sindresorhus/is',
    '@szmarczak/http-timer',
    'byte-counter',
    'cacheable-lookup',
    'cacheable-request',
    'chunk-data',
    'decompress-response',
    'defer-to-connect',
    'form-data-encoder',
    'get-stream',
    'http-cache-semantics',
    'http2-wrapper',
    'keyv',
    'lowercase-keys',
    'mimic-response',
    'normalize-url',
    'p-cancelable',
    'quick-lru',
    'resolve-alpn',
    'responselike',
    'type-fest',
  ]),
  ...fill('httpIn', [
    'fastify',
    'find-my-way',
    'light-my-request',
    'avvio',
    'abstract-logging',
    'fast-json-stringify',
    'fast-querystring',
    'fast-decode-uri-component',
    'fast-uri',
    'json-schema-ref-resolver',
    'proxy-addr',
    'forwarded',
    'ipaddr.js',
    'rfdc',
    'secure-json-parse',
    'safe-regex2',
    'ret',
    'toad-cache',
    'process-warning',
    'ajv',
    'ajv-formats',
  ]),
  ...fill('logging', [
    'pino',
    'pino-std-serializers',
    'pino-abstract-transport',
    'sonic-boom',
    'thread-stream',
    'fast-redact',
    'quick-format-unescaped',
    'atomic-sleep',
    'on-exit-leak-free',
    'real-require',
    'safe-stable-stringify',
  ]),
}

/** Scoped packages whose whole scope belongs to a group. */
export const SCOPE_GROUPS: Readonly<Record<string, GroupId>> = { '@fastify': 'httpIn', '@pinojs': 'logging' }

/**
 * Node built-in modules (the url after `node:`, before any `/…` below `internal/`) by group. The http, net and tls
 * modules that serve both directions count as HTTP out: the hop server's outbound traffic (polls, streams, sends,
 * webhooks) far outweighs its API's; only the server side proper (`_http_server`) is HTTP in.
 */
export const BUILTIN_GROUPS: Readonly<Record<string, GroupId>> = {
  _http_server: 'httpIn',
  ...fill('httpOut', [
    'http',
    'https',
    '_http_agent',
    '_http_client',
    '_http_common',
    '_http_incoming',
    '_http_outgoing',
    'net',
    'tls',
    '_tls_common',
    '_tls_wrap',
    'dns',
    'internal/http',
    'internal/net',
    'internal/tls',
    'internal/dns',
    'internal/stream_base_commons',
    'internal/deps/undici',
  ]),
}

function fill(group: GroupId, names: string[]): Record<string, GroupId> {
  return Object.fromEntries(names.map((name) => [name, group]))
}
