// The self-check of an offset-paged read (src/remote/tenant.ts offsetReadProblem): a whole read passes, each way a
// changing tenant or a capped offset shows up in the pages is named.
import { describe, expect, it } from 'vitest';
import { offsetReadProblem } from '../../src/remote/tenant.js';

const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: `id${from + i}` }));

describe('offsetReadProblem', () => {
  it.each([
    { name: 'a whole read', pages: [{ items: items(0, 3), total: 5 }, { items: items(3, 2), total: 5 }], problem: undefined },
    { name: 'an empty list', pages: [{ items: [], total: 0 }], problem: undefined },
    { name: 'the total changed between pages', pages: [{ items: items(0, 3), total: 5 }, { items: items(4, 1), total: 4 }], problem: 'the total went from 5 to 4' },
    { name: 'a page before the last is short', pages: [{ items: items(0, 2), total: 5 }, { items: items(3, 2), total: 5 }], problem: 'page 0 held 2 of 3' },
    { name: 'an object read twice (shifted back by a create in front)', pages: [{ items: items(0, 3), total: 5 }, { items: items(2, 2), total: 5 }], problem: 'id2 appeared twice' },
    { name: 'fewer objects than the total (pages cut off by a cap)', pages: [{ items: items(0, 3), total: 7 }, { items: items(3, 3), total: 7 }, { items: [], total: 7 }], problem: '6 read of 7' },
    { name: 'the last page short of the total', pages: [{ items: items(0, 3), total: 6 }, { items: items(3, 2), total: 6 }], problem: '5 read of 6' },
  ])('$name', ({ pages, problem }) => {
    expect(offsetReadProblem(pages, 3, 'id')).toBe(problem);
  });
});
