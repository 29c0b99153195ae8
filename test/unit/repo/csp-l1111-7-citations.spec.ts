import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING_MESSAGE } from '@carepact/archive';

/**
 * The sector lawyer's review of the access-request code (finding 10): CSP L.1111-7's alinéas were
 * cited by wrong numbers. Al. 1 is « Toute personne a accès… »; « directement ou par l'intermédiaire
 * d'un médecin » and the 48 hours are al. 2; the minor and the representative (ordonnance
 * n° 2020-232) are separate later alinéas, whose numbers moved with the amendments. So they are cited
 * by what they say: « CSP L.1111-7 (accès direct ou par l’intermédiaire d’un médecin) », « CSP
 * L.1111-7, alinéa relatif à la personne chargée d’une mesure de protection avec représentation
 * relative à la personne (ordonnance n° 2020-232) », « CSP L.1111-7, alinéa relatif aux mineurs ».
 * The deadlines and the 48 hours stay « al. 2 ».
 */
const root = join(__dirname, '../../..');
const self = relative(root, __filename);

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|tsx|md|hbs|html|json|txt)$/.test(name)) yield path;
  }
}

/** A file's text with comment line breaks joined (a citation may run over two comment lines). */
const joined = (text: string) => text.replace(/[ \t]*\r?\n[ \t]*(?:\*(?!\/)|\/\/)?[ \t]*/g, ' ');

const WRONG = [
  // « al. 1 », « al 1 », « alinéa 1 », « premier alinéa » for the physician or the representative.
  /L\.1111-7,? (?:al\.? ?1\b|alinéa 1\b|premier alinéa|first paragraph)/,
  // « derniers alinéas », « last paragraphs » for the minor.
  /L\.1111-7,? \(?(?:derniers? alinéas?|last paragraphs?)/,
];

describe('CSP L.1111-7 cited by what its alinéas say, not by wrong numbers', () => {
  it('no « L.1111-7 al. 1 », « premier alinéa », « derniers alinéas » or « last paragraphs » in libs, apps, docs, templates, test and README.md', () => {
    const found: string[] = [];
    for (const top of ['libs', 'apps', 'docs', 'templates', 'test']) {
      for (const path of files(join(root, top))) {
        const rel = relative(root, path);
        if (rel === self) continue;
        const text = joined(readFileSync(path, 'utf8'));
        for (const re of WRONG) {
          const m = re.exec(text);
          if (m) found.push(`${rel}: ${m[0]}`);
        }
      }
    }
    const readme = joined(readFileSync(join(root, 'README.md'), 'utf8'));
    for (const re of WRONG) if (re.test(readme)) found.push(`README.md: ${re.exec(readme)![0]}`);
    expect(found).toEqual([]);
  });

  it('the curateur refused: the alinéa of the person charged with a measure with representation relative to the person (ordonnance n° 2020-232)', () => {
    expect(HEALTH_ACCESS_REPRESENTATIVE_NOT_REPRESENTING_MESSAGE).toContain(
      '(Code de la santé publique, art. L.1111-7, alinéa relatif à la personne chargée d’une mesure de protection avec représentation relative à la personne, ordonnance n° 2020-232 ; Code civil, art. 440 et 459)',
    );
  });

  it('the code and the design cite the three alinéas by their content', () => {
    const source = (p: string) => joined(readFileSync(join(root, p), 'utf8'));
    expect(source('libs/archive/src/access/access-request-statement.ts')).toContain('CSP L.1111-7 (accès direct ou par l’intermédiaire d’un médecin)');
    expect(source('libs/archive/src/access/heir-request.ts')).toContain(
      'CSP L.1111-7, alinéa relatif à la personne chargée d’une mesure de protection avec représentation relative à la personne (ordonnance n° 2020-232)',
    );
    expect(source('libs/archive/src/access/access-request.exporter.ts')).toContain('CSP L.1111-7, alinéa relatif aux mineurs');
    expect(source('docs/design/DOMAIN.md')).toContain('CSP L.1111-7 (accès direct ou par l’intermédiaire d’un médecin)');
  });
});
