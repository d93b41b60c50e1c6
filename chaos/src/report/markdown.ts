/**
 * A report document as GitHub-flavoured Markdown. Figures are linked SVG files (figures/…) so the
 * Markdown stays readable as text and renders on any forge; table captions sit above their tables and
 * figure captions below their figures, as theses number them.
 */
import type { Block, Cell, Inline, ReportDocument } from './document';

/** Backslash-escapes what Markdown would read as markup; data never becomes formatting. */
const escapeText = (text: string) => text.replace(/([\\`*_[\]<>|#])/g, '\\$1').replace(/\r?\n/g, ' ');

function codeSpan(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = code.startsWith('`') || code.endsWith('`') ? ` ${code} ` : code;
  return `${fence}${padded.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${fence}`;
}

export function inline(text: Inline | Cell): string {
  if (typeof text === 'string') return escapeText(text);
  if ('code' in text) return codeSpan(text.code);
  if ('strong' in text) return `**${escapeText(text.strong)}**`;
  if ('link' in text) return `[${escapeText(text.link)}](${encodeURI(text.href)})`;
  return `**${escapeText(text.text)}**`;
}

function table(block: Extract<Block, { kind: 'table' }>, noRows: string): string[] {
  const caption = `**${escapeText(block.label)}.** ${escapeText(block.caption)}`;
  if (block.rows.length === 0) return [caption, '', `_${escapeText(noRows)}_`];
  const align = block.head.map((_, i) => (block.numeric?.[i] ? '---:' : ':---'));
  return [
    caption,
    '',
    `| ${block.head.map(escapeText).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...block.rows.map((row) => `| ${row.map(inline).join(' | ')} |`),
  ];
}

function block(b: Block, noRows: string): string[] {
  switch (b.kind) {
    case 'paragraph':
      return [b.text.map(inline).join('')];
    case 'howto':
      return [`_${escapeText(b.text)}_`];
    case 'callout':
      return [`> ${b.text.map(inline).join('')}`];
    case 'table':
      return table(b, noRows);
    case 'figure':
      return [`![${escapeText(b.label)}](${b.file})`, '', `**${escapeText(b.label)}.** ${escapeText(b.caption)}`];
    case 'list':
      return b.items.map((item) => `- ${item.map(inline).join('')}`);
    case 'code': {
      const fence = b.text.includes('```') ? '~~~~' : '```';
      return [`${fence}${b.language ?? 'sh'}`, b.text, fence];
    }
  }
}

export function toMarkdown(doc: ReportDocument, noRows: string): string {
  const lines = [
    `# ${escapeText(doc.title)}`,
    '',
    `_${escapeText(doc.subtitle)}_`,
    '',
    `> ${escapeText(doc.howToRead)}`,
    '',
  ];
  for (const section of doc.sections) {
    lines.push(`## ${escapeText(section.title)}`, '');
    for (const b of section.blocks) lines.push(...block(b, noRows), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
