// A small multipart/form-data reader for the sendFile route: the parts' names, filenames, types and bytes.
import { badRequest } from './errors.js'

export interface Part {
  name: string
  filename: string | undefined
  contentType: string | undefined
  data: Buffer
}

const HEADER_END = Buffer.from('\r\n\r\n')

export function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '')
  const boundary = match?.[1] ?? match?.[2]
  if (!boundary) throw badRequest('multipart/form-data without a boundary')
  return boundary
}

export function readParts(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: Part[] = []
  let start = body.indexOf(delimiter)
  if (start < 0) throw badRequest('The multipart body has no part')
  while (start >= 0) {
    const after = start + delimiter.length
    if (body.subarray(after, after + 2).toString() === '--') break // closing delimiter
    const next = body.indexOf(delimiter, after)
    if (next < 0) throw badRequest('The multipart body is not terminated')
    // A part is CRLF, headers, CRLF CRLF, content, CRLF.
    const raw = body.subarray(after + 2, next - 2)
    const headerEnd = raw.indexOf(HEADER_END)
    if (headerEnd < 0) throw badRequest('A multipart part has no headers')
    const headers = raw.subarray(0, headerEnd).toString('utf8')
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? ''
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1]
    if (name === undefined) throw badRequest('A multipart part has no name')
    parts.push({
      name,
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim().toLowerCase(),
      data: raw.subarray(headerEnd + HEADER_END.length),
    })
    start = next
  }
  return parts
}
