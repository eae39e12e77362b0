import { describe, expect, it } from 'vitest';
import { cellText, cellTitle, copyText, formatDouble, formatNumber, rawText } from '../../../src-renderer/preview/grid/cell-format';
import { opsFor } from '../../../src-renderer/preview/grid/FilterPopover';
import { typeIcon } from '../../../src-renderer/preview/grid/type-icon';

describe('numbers in the grid, by column type', () => {
  it('doubles to six significant digits, never fewer than their whole digits, grouped', () => {
    expect(formatDouble(2.1792499999999992)).toBe('2.17925');
    expect(formatDouble(91.5)).toBe('91.5');
    expect(formatDouble(0.1 + 0.2)).toBe('0.3');
    expect(formatDouble(1234567.891)).toBe('1,234,568');
    expect(formatDouble(123456.789)).toBe('123,457');
    expect(formatDouble(0.000123456789)).toBe('0.000123457');
    expect(formatDouble(1.5e-9)).toBe('1.5e-9');
    expect(formatDouble(6.02214076e23)).toBe('6.02214e23');
    expect(formatDouble(-42)).toBe('-42');
    expect(formatDouble(0)).toBe('0');
    expect([NaN, Infinity, -Infinity].map(formatDouble)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('integers grouped by thousands, also beyond 2^53 (sent as text); decimals at their scale', () => {
    expect(formatNumber(1234567, 'BIGINT')).toBe('1,234,567');
    expect(formatNumber(-5000, 'INTEGER')).toBe('-5,000');
    expect(formatNumber('123456789012345678901', 'HUGEINT')).toBe('123,456,789,012,345,678,901');
    expect(formatNumber(1234.5, 'DECIMAL(10,2)')).toBe('1,234.50');
    expect(formatNumber('98765432109876.125', 'DECIMAL(38,3)')).toBe('98,765,432,109,876.125');
    expect(formatNumber(3.14159, 'FLOAT')).toBe('3.14159');
    expect(cellText(2.1792499999999992, 'DOUBLE')).toBe('2.17925');
    expect(cellText(1000, 'BIGINT')).toBe('1,000');
    // Without a type (a value alone) nothing is assumed.
    expect(cellText(2.1792499999999992)).toBe('2.1792499999999992');
  });

  it('the raw value on hover and on copy', () => {
    expect(cellTitle(2.1792499999999992, 'DOUBLE')).toBe('2.1792499999999992');
    expect(cellTitle(1000, 'BIGINT')).toBe('1000');
    // Nothing to add where the text is the value.
    expect(cellTitle(91.5, 'DOUBLE')).toBeUndefined();
    expect(cellTitle(null, 'DOUBLE')).toBe('NULL (no value)');
    expect(rawText('2024-01-18T13:31:00.000Z', 'TIMESTAMP')).toBe('2024-01-18 13:31:00');
    expect(copyText([[2.1792499999999992, 'B0142', null], [1000, 'tab\there', '2024-01-08T00:00:00.000Z']], ['DOUBLE', 'VARCHAR', 'DATE'])).toBe(
      '2.1792499999999992\tB0142\t\n1000\ttab here\t2024-01-08',
    );
  });
});

describe('column type marks and filter operators', () => {
  it('a mark per type family', () => {
    expect(['BIGINT', 'DOUBLE', 'DECIMAL(10,2)', 'VARCHAR', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'BOOLEAN', 'INTEGER[]', 'STRUCT(a INTEGER)', 'UUID'].map((t) => typeIcon(t).kind)).toEqual([
      'integer', 'decimal', 'decimal', 'text', 'date', 'timestamp', 'boolean', 'list', 'nested', 'uuid',
    ]);
  });

  it('numbers and dates compare; text matches first', () => {
    expect(opsFor('DOUBLE')[0]).toBe('=');
    expect(opsFor('DOUBLE')).not.toContain('contains');
    expect(opsFor('VARCHAR')[0]).toBe('contains');
    expect(opsFor('DATE')).toContain('>=');
  });
});
