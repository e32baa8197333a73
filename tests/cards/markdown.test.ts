import { blocks, clampSummary, escapeCell, percent, table } from '../../src/cards/markdown';

describe('markdown helpers', () => {
  test('When a summary is too long, then it is clamped to 139 characters with an ellipsis', () => {
    const clamped = clampSummary('x'.repeat(500));
    expect(clamped).toHaveLength(139);
    expect(clamped.endsWith('…')).toBe(true);
    expect(clampSummary('short')).toBe('short');
  });

  test('When a cell holds a pipe or a newline, then the table stays one row', () => {
    expect(escapeCell('a|b\nc')).toBe('a\\|b c');
    expect(table(['h'], [['a|b']]).split('\n')).toEqual(['| h |', '| --- |', '| a\\|b |']);
  });

  test('When blocks are joined, then empty and missing parts are skipped', () => {
    expect(blocks('a', undefined, '', false, '  ', 'b')).toBe('a\n\nb');
  });

  test('When percentages are formatted, then at most one decimal is kept', () => {
    expect(percent(20)).toBe('20%');
    expect(percent(33.333)).toBe('33.3%');
  });
});
