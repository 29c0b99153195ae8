import { DataSource } from 'typeorm';
import { checkConsolePage, ConsoleHarness, startConsoleHarness, submitForm } from './console-harness';

/**
 * C. civ. 372 al. 1: joint exercise of parental authority is the rule. The console's resident form
 * asks, when one parent exercises it alone, for the ground and the proof (C. civ. 372 al. 2, 373,
 * 373-1, 373-2-1); the file shows them, or says that signatures are refused without them.
 */
describe('console: a minor under sole parental authority', () => {
  let h: ConsoleHarness;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('without the proof, the error is at its fieldset and in the summary, nothing written; with it, the file shows the ground and the proof; edited to joint authority, the proof goes', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`${h.url}/console/residents/nouveau`);
    await page.fill('#firstName', 'Enzo');
    await page.fill('#lastName', 'Petit');
    await page.fill('#birthDate', '2014-05-30');
    await page.fill('#admissionDate', '2026-09-07');
    await page.check('#stayType-0');
    await page.selectOption('#parentalAuthority', 'sole');
    await submitForm(page, 'Ajouter un parent', { exact: true });
    await page.fill('#parents-0-firstName', 'Julie');
    await page.fill('#parents-0-lastName', 'Petit');
    await submitForm(page, 'Créer le dossier', { exact: true });

    const summary = page.locator('.error-summary');
    expect(await summary.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual([
      [
        '#soleAuthority',
        'Exercice par un seul parent : L’exercice de l’autorité parentale par un seul parent se prouve : indiquez son motif et la pièce qui l’établit (C. civ. 372, 373, 373-1, 373-2-1).',
      ],
    ]);
    expect(await page.getAttribute('#soleAuthority', 'aria-describedby')).toBe('soleAuthority-aide soleAuthority-erreur');
    expect(await page.inputValue('#parents-0-firstName')).toBe('Julie');
    expect(await h.count('SELECT count(*) AS n FROM residents')).toBe(0);
    await checkConsolePage(page, 'Erreur — Nouveau résident');
    await page.locator('#soleAuthority').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/sole-authority-form-error.png` });

    // A ground and a date but no reference: the DTO names the missing field.
    await page.selectOption('#soleAuthority-ground', 'judgment');
    await page.fill('#soleAuthority-proofDate', '2024-03-12');
    await submitForm(page, 'Créer le dossier', { exact: true });
    expect(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#soleAuthority-proofReference']);
    expect(await summary.textContent()).toContain('Exercice par un seul parent — Pièce qui l’établit : Champ obligatoire.');

    await page.fill('#soleAuthority-proofReference', 'Jugement JAF, TJ de Valville, RG 24/01234');
    await submitForm(page, 'Créer le dossier', { exact: true });
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/residents\/[0-9a-f-]{36}$/);
    const identity = page.locator('section[aria-labelledby="identite"]');
    expect(await identity.textContent()).toContain(
      'Exercice par un seul parentDécision du juge confiant l’exercice à ce seul parent (C. civ. 373-2-1) : Jugement JAF, TJ de Valville, RG 24/01234, du 12 mars 2024',
    );
    await checkConsolePage(page, 'Dossier d’Enzo Petit');
    await page.screenshot({ path: `${shots}/sole-authority-file.png` });
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const [row] = (await h.app.get(DataSource).query(`SELECT sole_authority_ground, sole_authority_proof_reference, sole_authority_proof_date::text AS d FROM residents WHERE id = $1`, [id])) as {
      sole_authority_ground: string;
      sole_authority_proof_reference: string;
      d: string;
    }[];
    expect(row).toEqual({ sole_authority_ground: 'judgment', sole_authority_proof_reference: 'Jugement JAF, TJ de Valville, RG 24/01234', d: '2024-03-12' });

    // The edit form shows the proof on file; moving to joint exercise clears it without emptying its fields first.
    await page.goto(`${h.url}/console/residents/${id}/modifier`);
    expect(await page.inputValue('#soleAuthority-proofReference')).toBe('Jugement JAF, TJ de Valville, RG 24/01234');
    await page.selectOption('#parentalAuthority', 'shared');
    await submitForm(page, 'Enregistrer', { exact: true });
    expect(new URL(page.url()).pathname).toBe(`/console/residents/${id}`);
    expect(await identity.textContent()).not.toContain('Exercice par un seul parent');
    const [after] = (await h.app.get(DataSource).query(`SELECT sole_authority_ground FROM residents WHERE id = $1`, [id])) as { sole_authority_ground: string | null }[];
    expect(after.sole_authority_ground).toBeNull();
    expect(page.problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await page.context().close();
  }, 120_000);
});
