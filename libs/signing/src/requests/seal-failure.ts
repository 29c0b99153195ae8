/**
 * A seal that failed for good (issue: never silent). The `seal_failed` event records the job's error
 * code (never its message: it may name a file path); staff read the reason in French, on the
 * document page, in « À faire », in the signature inbox and in the e-mail, and may start the seal
 * again (`seal_retried`).
 */
import { TurnSigner, allRequiredSigned } from './whose-turn';

/** Codes of the seal's failures, and what staff should do, in French. */
const REASONS_FR: Record<string, string> = {
  SEAL_CERTIFICATE_NOT_VALID:
    'Le certificat de cachet de l’établissement n’est pas valide à cette date (expiré ou pas encore valide). L’administrateur doit installer un certificat valide, puis relancer le scellement.',
  SEAL_P12_UNREADABLE: 'Le fichier du certificat de cachet de l’établissement est illisible. L’administrateur doit corriger la configuration du cachet, puis relancer le scellement.',
  SEAL_P12_BAD_PASSPHRASE: 'La phrase secrète du certificat de cachet de l’établissement est refusée. L’administrateur doit corriger la configuration du cachet, puis relancer le scellement.',
  SEAL_P12_NO_KEY: 'Le fichier du certificat de cachet ne contient pas de clé privée. L’administrateur doit installer un certificat complet, puis relancer le scellement.',
  SEAL_P12_NO_CERTIFICATE: 'Le fichier du certificat de cachet ne contient pas le certificat de sa clé. L’administrateur doit installer un certificat complet, puis relancer le scellement.',
  SEAL_KEY_UNSUPPORTED: 'La clé du certificat de cachet n’est pas d’un type accepté (RSA 2048 bits ou plus, ECDSA P-256 ou P-384). L’administrateur doit installer un autre certificat, puis relancer le scellement.',
  SEAL_PDF_NO_SIGNATURE_FIELD: 'Le PDF final n’a pas pu recevoir le cachet (pas de champ de signature). Signalez-le au support technique avant de relancer le scellement.',
  SEAL_SIGNATURE_TOO_LARGE: 'Le cachet ne tient pas dans la place prévue dans le PDF final. Signalez-le au support technique avant de relancer le scellement.',
  TSA_UNAVAILABLE:
    'L’autorité d’horodatage ne répond pas (ou refuse l’accès) : le document n’est pas scellé sans horodatage. Vérifiez le service d’horodatage configuré (SEAL_TSA_URL et ses identifiants), puis relancez le scellement.',
  TSA_RESPONSE_INVALID:
    'L’autorité d’horodatage a rendu une réponse refusée (demande rejetée, ou jeton qui ne correspond pas ou ne se vérifie pas) : le document n’est pas scellé sans horodatage. Signalez-le au support technique ou à l’autorité d’horodatage, puis relancez le scellement.',
  PAPER_SCAN_MISSING: 'Le scan du document signé sur papier est introuvable dans le stockage. Signalez-le au support technique avant de relancer le scellement.',
  VERSION_HASH_MISMATCH: 'La version du document ne correspond plus à celle que les signataires ont signée. Signalez-le au support technique : ne relancez pas le scellement avant sa vérification.',
  SIGNATURES_MISSING: 'Toutes les signatures requises ne sont pas enregistrées. Signalez-le au support technique avant de relancer le scellement.',
  SEAL_INPUTS_CHANGED: 'Des signatures ou des avis ont été enregistrés pendant chaque tentative de scellement. Relancez le scellement.',
  CONTRACT_ALREADY_IN_FORCE:
    'Un autre contrat de séjour est déjà signé pour ce séjour : ce contrat n’est pas scellé, il ne peut y en avoir qu’un par séjour ; toute modification se fait par avenant (CASF L.311-4, D.311). Signalez-le au support technique : ne relancez pas le scellement.',
};

const RETRIES_EXHAUSTED_FR = 'Le scellement a échoué à chaque tentative (erreur technique, par exemple le service de rendu indisponible). Relancez le scellement ; si l’échec se répète, signalez-le au support technique.';

/** The reason of a seal failure, in French, with what to do (a generic one for a code it does not know). */
export function sealFailureReason(code: string): string {
  return REASONS_FR[code] ?? RETRIES_EXHAUSTED_FR;
}

/** What the events say of the seal: failed for good (and not retried since), with its code and when; null otherwise. */
export function sealFailureOf(events: readonly { kind: string; at: Date; details?: Record<string, unknown> | null }[]): { code: string; at: Date } | null {
  let last: (typeof events)[number] | null = null;
  for (const e of events) if ((e.kind === 'seal_failed' || e.kind === 'seal_retried') && (!last || e.at >= last.at)) last = e;
  if (!last || last.kind !== 'seal_failed') return null;
  const code = last.details?.code;
  return { code: typeof code === 'string' && code ? code : 'JOB_FAILED', at: last.at };
}

/**
 * A request in progress whose seal is to be handled (« Scellements échoués » in « À faire », the
 * signature inbox's `sealFailures`): its seal failed for good and was not retried since, every
 * required signature being in; null otherwise.
 */
export function failedSealOf(r: { sealFailure: { code: string; at: Date } | null; signers: readonly Pick<TurnSigner, 'status' | 'optional'>[] }): { code: string; at: Date } | null {
  return r.sealFailure && allRequiredSigned(r.signers) ? r.sealFailure : null;
}
