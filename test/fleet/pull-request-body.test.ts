import { fitPullRequestBody } from '../../src/fleet/pull-request-body';

const where = 'The rest is on the branch.';

describe('fitPullRequestBody', () => {
  test('a body that fits, or no limit, is kept as it is', () => {
    expect(fitPullRequestBody('a\nb', 3, where)).toBe('a\nb');
    expect(fitPullRequestBody('x'.repeat(100_000), undefined, where)).toHaveLength(100_000);
  });

  test('a longer one keeps whole lines from the top and ends with one line saying what was left out and where it is', () => {
    const body = ['Title', '', 'Conflicts:', ...Array.from({ length: 50 }, (_, i) => `- file-${i}.ts`)].join('\n');
    const fitted = fitPullRequestBody(body, 300, where);
    expect(fitted.length).toBeLessThanOrEqual(300);
    const lines = fitted.split('\n');
    const closing = lines.pop()!;
    expect(lines.pop()).toBe('');
    expect(body.startsWith(lines.join('\n') + '\n')).toBe(true);
    const left = 53 - lines.length;
    expect(closing).toBe(`_${left} more lines (${body.length - lines.join('\n').length} characters) left out: the forge takes at most 300 characters. ${where}_`);
  });

  test('blank lines where it was cut are dropped; a line too long for the limit is left out whole', () => {
    const fitted = fitPullRequestBody(`Title\n\n\n${'y'.repeat(500)}`, 200, where);
    expect(fitted).toMatch(/^Title\n\n_3 more lines \(\d+ characters\) left out/);
  });

  test('a limit shorter than the closing line cuts that line too: the forge still takes it', () => {
    expect(fitPullRequestBody('z'.repeat(100), 40, where)).toHaveLength(40);
  });
});
