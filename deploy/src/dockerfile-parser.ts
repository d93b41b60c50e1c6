/**
 * A small Dockerfile reader for the lint tests: instructions with their line continuations joined,
 * grouped by build stage, and the comment block just above each instruction (rules that allow an
 * exception ask for it to be explained there).
 */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
  comment: string;
}
export interface Stage {
  from: string;
  name: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  let comment: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index]?.trim() ?? '';
    if (line.startsWith('#')) {
      comment.push(line.replace(/^#\s?/, ''));
      continue;
    }
    if (!line) {
      comment = [];
      continue;
    }
    const start = index + 1;
    while (line.endsWith('\\') && index + 1 < lines.length) {
      index++;
      line = `${line.slice(0, -1).trimEnd()} ${lines[index]?.trim() ?? ''}`;
    }
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = {
      keyword: keyword.toUpperCase(),
      args: rest.join(' '),
      line: start,
      comment: comment.join(' '),
    };
    comment = [];
    if (instruction.keyword === 'FROM') {
      const [from = '', , name = ''] = rest;
      stages.push({ from, name, instructions: [instruction] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}
