/**
 * A report document as ONE self-contained HTML file: inline CSS, inline SVG figures, no script, no
 * external request, so it opens offline, survives being mailed and prints cleanly (figures and tables
 * are never split across pages).
 */
import type { Block, Cell, Inline, ReportDocument } from './document';
import { reportCss } from './html-style';

export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function inline(text: Inline | Cell): string {
  if (typeof text === 'string') return escapeHtml(text);
  if ('code' in text) return `<code>${escapeHtml(text.code)}</code>`;
  if ('strong' in text) return `<strong>${escapeHtml(text.strong)}</strong>`;
  if ('link' in text) return `<a href="${escapeHtml(text.href)}">${escapeHtml(text.link)}</a>`;
  return `<span class="verdict ${text.verdict ? 'pass' : 'fail'}">${text.verdict ? '✔' : '✘'} ${escapeHtml(text.text)}</span>`;
}

function table(b: Extract<Block, { kind: 'table' }>, noRows: string): string {
  const caption = `<figcaption><span class="label">${escapeHtml(b.label)}.</span> ${escapeHtml(b.caption)}</figcaption>`;
  if (b.rows.length === 0) return `<figure class="table">${caption}<p class="empty">${escapeHtml(noRows)}</p></figure>`;
  const cls = (i: number) => (b.numeric?.[i] ? ' class="num"' : '');
  const head = b.head.map((h, i) => `<th scope="col"${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const rows = b.rows.map((row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${inline(cell)}</td>`).join('')}</tr>`);
  return `<figure class="table">${caption}<table><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table></figure>`;
}

function block(b: Block, noRows: string): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${b.text.map(inline).join('')}</p>`;
    case 'howto':
      return `<p class="howto">${escapeHtml(b.text)}</p>`;
    case 'callout':
      return `<p class="callout ${b.tone}">${b.text.map(inline).join('')}</p>`;
    case 'table':
      return table(b, noRows);
    case 'figure': {
      const id = b.file.replace(/^figures\/|\.svg$/g, '');
      return `<figure class="chart" id="${escapeHtml(id)}">${b.svg}<figcaption><span class="label">${escapeHtml(b.label)}.</span> ${escapeHtml(b.caption)}</figcaption></figure>`;
    }
    case 'list':
      return `<ul class="list">${b.items.map((item) => `<li>${item.map(inline).join('')}</li>`).join('')}</ul>`;
    case 'code':
      return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
  }
}

export function toHtml(doc: ReportDocument, noRows: string): string {
  const toc = doc.sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`).join('');
  const sections = doc.sections.map(
    (s) =>
      `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map((b) => block(b, noRows)).join('\n')}</section>`,
  );
  return `<!doctype html>
<html lang="${escapeHtml(doc.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${reportCss}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(doc.title)}</h1>
<p class="subtitle">${escapeHtml(doc.subtitle)}</p>
<p class="read">${escapeHtml(doc.howToRead)}</p>
<nav><ul>${toc}</ul></nav>
</header>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
