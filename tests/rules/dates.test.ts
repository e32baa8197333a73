import {
  addDays,
  ageInYears,
  daysBetween,
  fromDayNumber,
  localDateOf,
  parseIsoDate,
  toDayNumber,
} from '../../src/rules/dates';

describe('dates', () => {
  test.each([
    ['2026-02-30', undefined],
    ['2026-13-01', undefined],
    ['2026-00-10', undefined],
    ['2026-10', undefined],
    ['2026-1-05', undefined],
    ['', undefined],
    ['2024-02-29', '2024-02-29'],
    ['2025-02-29', undefined],
    ['2026-11-15', '2026-11-15'],
  ])('When parsing %p, then the result is %p', (input, expected) => {
    // Act
    const result = parseIsoDate(input);
    // Assert
    expect(result).toBe(expected);
  });

  test('When every day from 1600 to 2400 is parsed, then the day number agrees with the JavaScript Date and round-trips', () => {
    // Arrange: the hand-written parser must match the platform calendar across leap-year rules
    const mismatches: string[] = [];
    for (let n = -135_140; n <= 157_000; n++) {
      const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
      // Act
      const parsed = toDayNumber(iso);
      // Assert (collected, one expect below keeps the test fast)
      if (parsed !== n || fromDayNumber(n) !== iso) mismatches.push(iso);
    }
    expect(mismatches).toEqual([]);
  });

  test.each(['2026-1a-05', '2026/11/15', ' 2026-11-15', '2026-11-15 ', '+02026-11-15', '２０２６-11-15'])(
    'When parsing the malformed text %p, then the result is undefined',
    (input) => {
      expect(toDayNumber(input)).toBeUndefined();
    },
  );

  test.each([null, undefined, 20261115, {}, ['2026-11-15']])(
    'When parsing the non-string %p, then the result is undefined',
    (input) => {
      expect(parseIsoDate(input)).toBeUndefined();
      expect(toDayNumber(input)).toBeUndefined();
    },
  );

  test.each([
    ['2026-10-03T22:00:00-05:00', '2026-10-03'],
    ['2026-10-03T23:30:00+14:00', '2026-10-03'],
    ['2026-10-03', '2026-10-03'],
    ['2026-10-031', undefined],
    ['2026-10', undefined],
    ['2026-02-30T10:00:00Z', undefined],
  ])('When taking the local date of %p, then it is %p as written', (input, expected) => {
    expect(localDateOf(input)).toBe(expected);
  });

  test.each([
    ['2026-11-15', -84, '2026-08-23'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    // DST in the US/EU falls in March/October; UTC arithmetic must not lose a day.
    ['2026-03-07', 2, '2026-03-09'],
    ['2026-10-24', 8, '2026-11-01'],
  ])('When adding days to %p by %p, then the date is %p', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  test('When an input date is invalid, then addDays and daysBetween give undefined', () => {
    expect(addDays('2026-02-30', 1)).toBeUndefined();
    expect(daysBetween('2026-02-30', '2026-03-01')).toBeUndefined();
    expect(daysBetween('2026-03-01', 'soon')).toBeUndefined();
  });

  test.each([
    ['2026-08-23', '2026-11-15', 84],
    ['2026-11-15', '2026-08-23', -84],
    ['2024-01-01', '2025-01-01', 366],
  ])('When counting days from %p to %p, then it is %p', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  test.each([
    ['2008-11-16', '2026-11-15', 17],
    ['2008-11-15', '2026-11-15', 18],
    ['2008-11-14', '2026-11-15', 18],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['1980-05-17', '2026-11-15', 46],
  ])('When born %p, then on %p the age is %p', (birthDate, asOf, expected) => {
    expect(ageInYears(birthDate, asOf)).toBe(expected);
  });

  test('When the birth date is invalid, then the age is undefined', () => {
    expect(ageInYears('1980-02-30', '2026-11-15')).toBeUndefined();
  });
});
