import { describe, expect, it } from 'vitest';
import { unapplyPatch } from '../../src/github/read-files.js';

// Patches exactly as GitHub's "list pull request files" API returns them: no file headers.
describe('rebuilding the base version from the head and GitHub\'s patch', () => {
  const base = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n';
  const head = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n      DelaySeconds: 5\n';

  it('takes a modification back out', () => {
    const patch = '@@ -2,4 +2,5 @@ Resources:\n   Queue:\n     Type: AWS::SQS::Queue\n     Properties:\n-      VisibilityTimeout: 30\n+      VisibilityTimeout: 60\n+      DelaySeconds: 5';
    expect(unapplyPatch(head, patch)).toBe(base);
  });

  it('keeps a missing final newline', () => {
    const patch = '@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n\\ No newline at end of file\n+b: 3\n\\ No newline at end of file';
    expect(unapplyPatch('a: 1\nb: 3', patch)).toBe('a: 1\nb: 2');
  });

  it.each([
    ['a patch that does not fit the head', '@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 9'],
    ['a malformed hunk', '@@ -1,2 +1,40 @@\n a: 1\n-b: 2\n+b: 3'],
    ['garbage', 'not a patch at all @@'],
  ])('gives up on %s, so the base is read from GitHub instead', (_name, patch) => {
    expect(unapplyPatch('a: 1\nb: 3\n', patch)).toBeUndefined();
  });
});
