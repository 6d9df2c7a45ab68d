import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('CSV export', () => {
  it('starts with a BOM, quotes what needs quoting and defuses formulas', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['高速行人, 上行', 'say "hi"'],
        ['=HYPERLINK("x")', null],
      ],
    );
    expect(csv).toBe('\uFEFFa,b\r\n"高速行人, 上行","say ""hi"""\r\n"\'=HYPERLINK(""x"")",\r\n');
  });
});
