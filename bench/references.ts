// `npm run bench` section: how long finding references in added lines takes. A pull request
// adding 2,000,000 characters of code (the scan bound) in realistic lines with a reference
// every hundredth line, then hostile lines: one minified line of 1 MB (cut at 4,000 characters),
// and 200,000-character lines built to make the ARN and bucket patterns backtrack. Prints
// figures; asserts nothing.
import { findReferences, MAX_SCAN_CHARS } from '../src/references/find-references.js';

function patchOf(lines: string[]): string {
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

function time(label: string, run: () => { references: unknown[]; limits: { scanned: number; cut: unknown[] } }, iterations = 5): void {
  const ms: number[] = [];
  let last: ReturnType<typeof run> | undefined;
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    last = run();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  console.log(`  ${label}: median ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, max ${ms[ms.length - 1]!.toFixed(1)} ms; ${last!.references.length} references, ${last!.limits.scanned.toLocaleString('en-US')} characters read, ${last!.limits.cut.length} cut notes`);
}

export function benchReferences(): void {
  console.log('\nreferences in added lines (src/references/find-references.ts)');
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < MAX_SCAN_CHARS && i < 100_000; i++) {
    lines.push(i % 100 === 0 ? `  await sqs.send(new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/480157929311/orders-${i % 400}', MessageBody: body }));` : `  const value${i} = compute(order.items[${i}], { retries: 3, timeoutMs: 1500 }); // step ${i}`);
  }
  const realistic = [{ path: 'src/orders/publish.ts', status: 'added', patch: patchOf(lines) }];
  time(`${lines.length.toLocaleString('en-US')} added lines of code`, () => findReferences(realistic));

  const minified = [{ path: 'dist/app.min.js.txt', status: 'added', patch: patchOf([`var a=${'x'.repeat(1_000_000)};`]) }];
  time('one minified line of 1 MB', () => findReferences(minified));

  const hostile = [
    `${'arn:aws:sqs:us-east-1:480157929311:'.repeat(3)}${'a-'.repeat(100_000)}`,
    `${'a.'.repeat(100_000)}s3.amazonaws.com`,
    `${'s3://a'.repeat(40_000)}`,
    `GetParameterCommand(${' Name'.repeat(40_000)}`,
  ];
  for (const line of hostile) {
    time(`hostile line of ${line.length.toLocaleString('en-US')} characters (${line.slice(0, 24)}…), unbounded line cut`, () =>
      findReferences([{ path: 'src/x.ts', status: 'added', patch: patchOf([line]) }], { maxLineChars: 300_000 }), 3);
  }
}
