// The plain-YAML fast path must give exactly what the full parser gives, or step aside: for every text it
// accepts, the data equal `yaml`'s, the full parse has no error or warning, and every position it recorded is
// the one `locate` finds in the full parse. Checked on the example tenant, the generated tenants of the tests
// and the benchmark, the broken-config corpus, edge cases and random documents.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { KEY_SUFFIX, NOT_PLAIN, parsePlainYaml, pathKey, plainPosition, unpackPosition } from '../../src/config/plain-yaml.js';
import { locate, type SourceFile } from '../../src/config/source.js';
import { brokenConfigs } from '../reliability/corpus.js';
import { REPO_TENANT } from '../support/cli.js';

function full(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  return { doc, lineCounter };
}

/** Checks the fast path on one text; returns whether it accepted it. */
function agrees(text: string): boolean {
  const fast = parsePlainYaml(text, { positions: true });
  if (fast === NOT_PLAIN) return false;
  // Without positions the reader gives the same data, and no positions.
  expect(parsePlainYaml(text)).toEqual({ data: fast.data });
  const { doc, lineCounter } = full(text);
  expect([...doc.errors, ...doc.warnings].map((p) => p.message), text).toEqual([]);
  expect(fast.data, text).toEqual(doc.toJS());
  const source = { file: 'f.yaml', relative: 'f.yaml', kind: 'application', text, doc, lineCounter, data: fast.data } as SourceFile;
  // Looking a position up alone reads up to it, so a few dozen spread over a long file are enough.
  const alone = Math.max(1, Math.floor(fast.positions!.size / 40));
  let index = 0;
  for (const [stored, packed] of fast.positions!) {
    const isKey = stored.endsWith(KEY_SUFFIX);
    const key = isKey ? stored.slice(0, -KEY_SUFFIX.length) : stored;
    const path = key.split('\u0000').slice(1).map((segment) => (segment.startsWith('#') ? Number(segment.slice(1)) : segment.slice(1)));
    expect(pathKey(path)).toBe(key);
    // Looked for alone, the position is the same.
    if (index++ % alone === 0) expect(plainPosition(text, stored), stored).toBe(packed);
    const [line, column] = unpackPosition(packed);
    expect([stored, locate(source, path, isKey ? 'key' : 'value')], text).toEqual([stored, { file: 'f.yaml', line, column }]);
  }
  // A path it records nothing at (one that does not exist) is not found alone either.
  expect(plainPosition(text, pathKey(['no such field', 0]))).toBeUndefined();
  return true;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFilesUnder(path) : name.endsWith('.yaml') ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('plain-YAML fast path', () => {
  it('reads the example tenant exactly as the full parser does', () => {
    const texts = yamlFilesUnder(REPO_TENANT);
    const accepted = texts.filter(agrees).length;
    expect(accepted).toBeGreaterThanOrEqual(texts.length - 1);
  });

  it('agrees or steps aside on every file of the broken-config corpus', () => {
    for (const entry of brokenConfigs()) {
      for (const content of Object.values(entry.files)) if (typeof content === 'string') agrees(content);
    }
  });

  it('steps aside for YAML outside its subset', () => {
    const outside = [
      'a: |\n  text\n',
      'a: >\n  folded\n',
      'a: &x 1\nb: *x\n',
      'a: !Ref b\n',
      '"quoted key": 1\n',
      'a: 1\na: 2\n',
      'a: "esc\\n"\n',
      'a: b\n  continued\n',
      'a: {b: 1}\n',
      'a: [x, [y]]\n',
      'a: [x,\n  y]\n',
      '---\na: 1\n',
      'a:\tb\n',
      'a: 1\r\n',
      // JavaScript's trim and \s take these for spaces, YAML does not.
      'a: b\u00a0#c\n',
      'a:\n\u00a0 - b\n',
      'a: [b,\u2003c]\n',
      '- a\n',
      'a: -1\n',
      'a: 1.5\n',
      'a: 0x1F\n',
      'a: b: c\n',
      'a: yes: no\n',
      '__proto__: 1\n',
      'a:\n  - b\n   - c\n',
      '',
    ];
    for (const text of outside) expect(parsePlainYaml(text), JSON.stringify(text)).toBe(NOT_PLAIN);
  });

  it('reads what it accepts exactly like the full parser: scalars, comments, nesting, flow lists', () => {
    const inside = [
      '# comment\nname: Web App   # trailing\ncallbacks:\n  - https://a.example.com/#/cb\n  - "https://b.example.com/"\n',
      'a: true\nb: FALSE\nc: ~\nd: null\ne: 0\nf: 36000\ng: yes\nh: "1"\ni: \'x y\'\n',
      'grants:\n- api: https://api.example.com/\n  scopes: [read:things, write:things]\n- api: x\n  scopes: []\nempty:\nobj: {}\n',
      'a:\n  b:\n    c: d\n  e:\n    - f\n    -\n      g: h\n',
      'url: https://app.${BASE_DOMAIN}/cb\nlist: [a, b , c]\n',
      'k: v:w\nm: a#b\n',
    ];
    for (const text of inside) expect(agrees(text), text).toBe(true);
  });

  it('agrees with the full parser on random documents and random scalars', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/).filter((k) => k !== '__proto__');
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 100000 }), fc.boolean(), fc.constant(null), fc.constantFrom('https://x.example.com/#/a', 'read:things', 'a b', ' x', 'y ', '#', 'a #b', 'True', 'NULL', '0o7', '1e3', '.5'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
    })).node;
    let documents = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), fc.boolean(), (data, flow) => {
        if (agrees(stringify(data, { flowCollectionPadding: false, collectionStyle: flow ? 'any' : 'block', indentSeq: flow }))) documents++;
      }),
      { numRuns: 400, seed: 16 },
    );
    let scalars = 0;
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (raw) => {
        for (const text of [`a: ${raw}\n`, `a:\n  - ${raw}\n`, `a: [${raw}]\n`]) if (agrees(text)) scalars++;
      }),
      { numRuns: 2000, seed: 17 },
    );
    // The comparison is only worth something if the fast path accepted a good share of them.
    expect(documents).toBeGreaterThan(100);
    expect(scalars).toBeGreaterThan(2000);
  });
});
