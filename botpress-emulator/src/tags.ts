// Tags as the Botpress API treats them: string values only (a tag set to null or undefined is dropped), filters that
// match when every given tag is equal, and get-or-create that looks only at the `discriminateByTags` keys.

export type Tags = Record<string, string>
/** Tags as callers send them. */
export type TagsInput = Record<string, string | null | undefined>

export const cleanTags = (tags: TagsInput | undefined): Tags =>
  Object.fromEntries(
    Object.entries(tags ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  )

export const matchesTags = (tags: Tags, filter: Tags | undefined): boolean =>
  !filter || Object.entries(filter).every(([key, value]) => tags[key] === value)

/** The filter a get-or-create looks things up by: the `discriminateByTags` keys, or every tag given. */
export const discriminator = (tags: TagsInput, keys: string[] | undefined): Tags => {
  const clean = cleanTags(tags)
  return Object.fromEntries((keys ?? Object.keys(clean)).map((key) => [key, clean[key] ?? '']))
}
