import type { StaffNoticeKind } from '@carepact/queue';
import { staffConsoleUrl } from './signing-jobs.service';

describe('staff e-mails lead to the document’s page in the console, never to the JSON API', () => {
  const request = { id: '0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f', documentId: '5b1d0c3e-8f7a-4c2b-9e6d-1a2b3c4d5e6f' };
  const page = 'https://carepact.example.fr/console/documents/5b1d0c3e-8f7a-4c2b-9e6d-1a2b3c4d5e6f';

  it('a question opens the request’s questions (the heading id="questions-<request>"), named in the query too for the way back from the login page', () => {
    expect(staffConsoleUrl('https://carepact.example.fr', request, 'question')).toBe(`${page}?section=questions-${request.id}#questions-${request.id}`);
  });

  it('a refusal, an expiry, a failed delivery, a countersignature due and a failed seal open the request’s section (id="demande-<request>")', () => {
    for (const kind of ['refusal', 'expired', 'delivery_failed', 'countersign_due', 'seal_failed'] as StaffNoticeKind[]) {
      const url = staffConsoleUrl('https://carepact.example.fr', request, kind);
      expect({ kind, url }).toEqual({ kind, url: `${page}?section=demande-${request.id}#demande-${request.id}` });
      expect(url).not.toContain('/api/');
    }
  });
});
