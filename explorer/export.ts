// Exports: a table as CSV or JSON, the findings as JSON, saved by the browser (a Blob URL, no
// request leaves the page).

/** RFC 4180: every field quoted, quotes doubled; a leading = + - @ neutralized against spreadsheet formulas. */
export function toCsv(rows: ReadonlyArray<readonly string[]>): string {
  return rows.map((row) => row.map((field) => `"${(/^[=+\-@\t\r]/.test(field) ? `'${field}` : field).replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n'
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
