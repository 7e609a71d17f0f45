// Header names and signature versions of the bridge contract (docs/bridge-contract.md, "Signing").

export const HEADER_TENANT = 'x-hop-tenant'
export const HEADER_TIMESTAMP = 'x-hop-timestamp'
export const HEADER_SIGNATURE = 'x-hop-signature'

/** The signature every side sends: covers tenant, method, path and query as sent, timestamp and raw body. */
export const SIGNATURE_VERSION = 'v2'
/** The deprecated signature over timestamp and body only; only the hop server may still accept it (opt-in). */
export const LEGACY_SIGNATURE_VERSION = 'v1'
export type SignatureVersion = typeof SIGNATURE_VERSION | typeof LEGACY_SIGNATURE_VERSION

/** A timestamp further than this from the receiver's clock is refused. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000

/** A type rather than an interface, so that it passes where a plain header record is expected. */
export type SignedHeaders = {
  [HEADER_TENANT]: string
  [HEADER_TIMESTAMP]: string
  [HEADER_SIGNATURE]: string
}
