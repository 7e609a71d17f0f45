/** An integer written in decimal (a header or query value); undefined for anything else. */
export const parseInteger = (value: string | undefined): number | undefined =>
  value !== undefined && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined
