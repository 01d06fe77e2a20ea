import { describe, expect, it } from 'vitest';
import { describeJsonValue, describeNotDecimal, jsonNumberProblem, parseDecimal } from './number';

describe('parseDecimal', () => {
  it('reads signed decimals with a point and an exponent, spaces around allowed', () => {
    expect(['12', '-0.5', '+.5', '3.', '1e-3', ' 7 ', '1E3'].map(parseDecimal)).toEqual([
      12, -0.5, 0.5, 3, 0.001, 7, 1000,
    ]);
  });

  it('refuses what Number() would read but a user did not mean as a decimal number', () => {
    for (const t of ['0x10', '0o7', '0b1', '', ' ', 'Infinity', '-Infinity', 'NaN', '1e999', '-1e999', '1,5'])
      expect(parseDecimal(t), t).toBeNull();
  });

  it('refuses text that is not a number at all', () => {
    for (const t of ['abc', '12abc', '1e', '.', '-', '1 2', '1.2.3']) expect(parseDecimal(t), t).toBeNull();
  });
});

describe('describeNotDecimal', () => {
  it('says why, quoting the text', () => {
    expect(describeNotDecimal('1e999')).toBe(
      '"1e999" is beyond the largest number there is (about 1.8e308), not a finite number',
    );
    expect(describeNotDecimal('0x10')).toBe(
      '"0x10" is not a decimal number (hexadecimal, octal and binary are not read)',
    );
    expect(describeNotDecimal('Infinity')).toBe('"Infinity" is not a finite number');
    expect(describeNotDecimal('1,5')).toBe('"1,5" is not a number (the decimal separator is a point: "1.5")');
    expect(describeNotDecimal('n/a')).toBe('"n/a" is not a number');
    expect(describeNotDecimal('')).toBe('"" is empty, not a number');
    expect(describeNotDecimal('"-87.6"')).toBe('"-87.6" is a string (in quotes), not a number');
  });
});

describe('describeJsonValue and jsonNumberProblem', () => {
  it('write numbers JSON cannot hold as they are, not as null', () => {
    expect(describeJsonValue([Infinity, 47.5])).toBe('[Infinity, 47.5]');
    expect(describeJsonValue({ a: 1 })).toBe('{"a":1}');
    expect(describeJsonValue(undefined)).toBe('undefined');
  });

  it('accepts finite numbers and numeric strings, and says why for anything else', () => {
    expect(jsonNumberProblem(3)).toBeNull();
    expect(jsonNumberProblem('3.5')).toBeNull();
    expect(jsonNumberProblem(Infinity)).toBe(
      'Infinity is not a finite number (a number beyond about 1.8e308 in the file, such as 1e999, reads as Infinity)',
    );
    expect(jsonNumberProblem('0x10')).toBe(
      '"0x10" is not a decimal number (hexadecimal, octal and binary are not read)',
    );
    expect(jsonNumberProblem({ v: 1 })).toBe('{"v":1} is not a number');
    expect(jsonNumberProblem(null)).toBe('null is not a number');
  });
});
