/** Ids as models and users give them: dashed, undashed, or pasted Notion URLs. */
import { describe, expect, it } from 'vitest';
import { normalizeId } from '../src/ids.ts';

const ID = '10000000-0000-4000-8000-000000000002';
const HEX = ID.replace(/-/g, '');
const DB = 'aaaaaaaa00004000800000000000000f';
const VIEW = 'bbbbbbbb00004000800000000000000f';

describe('normalizeId', () => {
  it('takes dashed and undashed ids and page URLs', () => {
    expect(normalizeId(ID.toUpperCase())).toBe(ID);
    expect(normalizeId(HEX)).toBe(ID);
    expect(normalizeId(`https://www.notion.so/acme/Roadmap-${HEX}`)).toBe(ID);
    expect(normalizeId(`https://www.notion.so/acme/${DB}?v=${VIEW}`)).toBe('aaaaaaaa-0000-4000-8000-00000000000f');
    expect(normalizeId('not an id')).toBeUndefined();
  });

  it('takes the page a database view shows (`?p=`), not the database', () => {
    expect(normalizeId(`https://www.notion.so/acme/${DB}?v=${VIEW}&p=${HEX}&pm=s`)).toBe(ID);
  });
});
