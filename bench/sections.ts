/**
 * BENCHMARKS.md is shared by several benchmarks, each owning one `## ` section: this replaces a
 * section (from its heading to the next `## ` heading) or, when absent, inserts it before the
 * heading `before` (or at the end), so that each benchmark rewrites only its own figures.
 */
export function replaceSection(current: string, heading: string, content: string, before?: string): string {
  const body = `${content.replace(/\s*$/, '')}\n`;
  const start = current.indexOf(`\n${heading}\n`);
  if (start >= 0) {
    const next = current.indexOf('\n## ', start + heading.length + 1);
    const tail = next >= 0 ? `\n${current.slice(next + 1)}` : '';
    return `${current.slice(0, start + 1)}${body}${tail}`;
  }
  const at = before === undefined ? -1 : current.indexOf(`\n${before}\n`);
  if (at >= 0) return `${current.slice(0, at + 1)}${body}\n${current.slice(at + 1)}`;
  return `${current.replace(/\s*$/, '')}\n\n${body}`;
}
