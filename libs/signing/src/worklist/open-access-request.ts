/**
 * An access request not yet answered (alias `j`, a data_jobs row of kind access_request): not failed
 * (a failed one is asked again) — unless a request after the death whose zip failed to be made again
 * after its selection (recordSelection: the selection is recorded again to retry; the CSP deadline
 * still runs, L.1111-7 al. 2) — and — after the death (CSP L.1110-4 V) — neither delivered nor
 * refused (recordDelivery, recordRefusal); the person's own or her representative's (RGPD art. 15),
 * whose answer is the zip itself handed to her: not yet downloaded by the member of staff who asked
 * (the only one who may, `data_job.downloaded`).
 *
 * The one text of the rule, for its three readers: the console's « À faire » (openAccessRequests
 * here), a new request refused while one is open (@carepact/archive DataJobsService), and the purge,
 * which keeps a person with one and her documents (RetentionService.plan: the request is answered
 * from them, CSP L.1110-4 V, L.1111-7; RGPD art. 15). It lives in this library because
 * @carepact/archive imports it and it cannot import @carepact/archive.
 */
export const OPEN_ACCESS_REQUEST_SQL = `(j.status <> 'failed' OR (j.params->'request'->>'from' IN ('ayant_droit', 'parental_authority') AND j.answer->'selection' IS NOT NULL))
    AND (CASE WHEN j.params->'request'->>'from' IN ('ayant_droit', 'parental_authority')
    THEN coalesce(j.answer->>'state', '') NOT IN ('delivered', 'refused')
    ELSE NOT EXISTS (SELECT 1 FROM audit_events d WHERE d.chain_id = j.organisation_id AND d.subject_id = j.id::text AND d.action = 'data_job.downloaded') END)`;
