/**
 * A strict reader of multipart/form-data with text fields only, as browsers send a form (and as
 * React sends a server action's arguments). Anything else (no boundary, a broken frame, a file
 * where `files` is not allowed, bytes that are not UTF-8) is `undefined`: the request is malformed.
 * An allowed file is named with an empty value: its bytes are the action's to check.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseMultipart(body: Buffer, boundary: string, o: { files?: boolean } = {}): [string, string][] | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  if (!body.subarray(0, delimiter.length).equals(delimiter)) return undefined;
  const fields: [string, string][] = [];
  let at = delimiter.length;
  for (;;) {
    const rest = body.subarray(at, at + 2).toString('latin1');
    if (rest === '--') return fields;
    if (rest !== '\r\n') return undefined;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), at + 2);
    if (next === -1) return undefined;
    const part = body.subarray(at + 2, next);
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) return undefined;
    const head = part.subarray(0, split).toString('latin1');
    const disposition = /^content-disposition:\s*form-data\s*;\s*name="([^"]*)"\s*(;\s*filename="[^"]*"\s*)?$/im.exec(head);
    const file = disposition?.[2] !== undefined;
    if (!disposition || (file && !o.files) || (!file && /filename/i.test(head))) return undefined;
    try {
      fields.push([utf8.decode(Buffer.from(disposition[1], 'latin1')), file ? '' : utf8.decode(part.subarray(split + 4))]);
    } catch {
      return undefined;
    }
    at = next + 2 + delimiter.length;
  }
}
