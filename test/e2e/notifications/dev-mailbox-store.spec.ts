import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevMailbox, emailSamples, MailTransport, renderEmail } from '@carepact/notifications';

/**
 * The development mailbox (/dev/mail) keeps its messages across a restart of `npm start`
 * (issue 13, item 10): a new mailbox over the same directory lists what the previous one received,
 * bounded to its capacity.
 */
describe('DevMailbox kept on disk', () => {
  const FROM = 'CarePact <no-reply@carepact.localhost>';
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'carepact-devmail-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function send(mailbox: DevMailbox, subjects: string[]): Promise<void> {
    const { port } = await mailbox.start(0);
    const transport = new MailTransport({ url: `smtp://127.0.0.1:${port}`, from: FROM });
    try {
      const base = renderEmail('signature-invitation', emailSamples()['signature-invitation']);
      for (const subject of subjects) await transport.send({ to: { address: 'marcel.dupont@example.org', name: 'Marcel Dupont' }, ...base, subject });
    } finally {
      transport.close();
      await mailbox.stop();
    }
  }

  it('a restarted mailbox still lists the messages, with their text, newest first', async () => {
    await send(new DevMailbox({ storeDir: dir }), ['Premier message', 'Deuxième message — Château-d’Œx']);
    const restarted = new DevMailbox({ storeDir: dir });
    const list = restarted.list();
    expect(list.map((m) => m.subject)).toEqual(['Deuxième message — Château-d’Œx', 'Premier message']);
    expect(list[0].receivedAt).toBeInstanceOf(Date);
    expect(list[0].to).toEqual(['marcel.dupont@example.org']);
    expect(list[0].text).toContain(emailSamples()['signature-invitation'].signUrl);
    expect(restarted.get(list[1].id)?.subject).toBe('Premier message');
  });

  it('keeps only the last messages (capacity), on disk too, and `clear` empties the store', async () => {
    const subjects = Array.from({ length: 7 }, (_, i) => `Message ${i + 1}`);
    await send(new DevMailbox({ storeDir: dir, capacity: 3 }), subjects);
    const restarted = new DevMailbox({ storeDir: dir, capacity: 3 });
    expect(restarted.list().map((m) => m.subject)).toEqual(['Message 7', 'Message 6', 'Message 5']);
    // Compaction rewrote the file: it never holds more than twice the capacity.
    expect(readFileSync(join(dir, 'messages.jsonl'), 'utf8').trim().split('\n').length).toBeLessThanOrEqual(6);
    restarted.clear();
    expect(new DevMailbox({ storeDir: dir, capacity: 3 }).list()).toEqual([]);
  });

  it('a line cut short by a crash does not hide the others', async () => {
    await send(new DevMailbox({ storeDir: dir }), ['Intact']);
    const file = join(dir, 'messages.jsonl');
    appendFileSync(file, '{"id":"abc","subj');
    expect(new DevMailbox({ storeDir: dir }).list().map((m) => m.subject)).toEqual(['Intact']);
  });
});
