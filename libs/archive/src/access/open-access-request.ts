/*
 * Kept apart from DataJobsService (which re-exports it) so that RetentionService.plan can read it
 * without an import cycle (data-jobs.service.ts imports retention.service.ts).
 */

/**
 * An access request not yet answered (alias `j`, a data_jobs row of kind access_request): the rule
 * and its one text are @carepact/signing's (worklist/open-access-request.ts), read by the console's
 * « À faire » there, and here by DataJobsService (a new request refused while one is open) and the
 * purge, which keeps a person with one and her documents (RetentionService.plan: the request is
 * answered from them, CSP L.1110-4 V, L.1111-7; RGPD art. 15).
 */
export { OPEN_ACCESS_REQUEST_SQL } from '@carepact/signing';
