/**
 * Escapes text for HTML and XML (element content and quoted attribute values): the five
 * characters with a meaning there become entities. Shared by the server-rendered pages, SVG
 * charts and the signed report.
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
