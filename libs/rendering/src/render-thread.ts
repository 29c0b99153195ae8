/** Worker-thread entry of RenderPool: renders bundles or one PDF and sends the bytes back without copying. */
import { parentPort } from 'node:worker_threads';
import { heapGauge, isDomainError, spansEnabled } from '@carepact/common';
import { renderBundle } from './bundle';
import { renderPdf } from './pdf';
import type { RenderRequest } from './render-pool';

parentPort?.on('message', (task: (RenderRequest & { id: number }) | { kind: 'recycle' }) => {
  // Bytes the main thread is done with (RenderPool.recycle): dropped here, freed at this thread's next collection.
  if (task.kind === 'recycle') return;
  const fail = (e: unknown) => {
    const domain = isDomainError(e) ? { kind: e.kind, code: e.code, messageFr: e.messageFr, details: e.details } : undefined;
    parentPort!.postMessage({ id: task.id, error: { message: (e as Error).message, domain } });
  };
  if (task.kind === 'pdf') {
    renderPdf(task.tree, task.variant, task.options).then((pdf) => {
      const bytes = new Uint8Array(pdf);
      parentPort!.postMessage({ id: task.id, pdf: bytes }, [bytes.buffer as ArrayBuffer]);
    }, fail);
    return;
  }
  const t0 = performance.now();
  renderBundle(task.templateId, task.templateVersion, task.input, task.context).then((renditions) => {
    const payload = renditions.map((r) => ({ format: r.format, variant: r.variant, mediaType: r.mediaType, bytes: new Uint8Array(r.bytes) }));
    const heap = spansEnabled() ? heapGauge() : undefined;
    parentPort!.postMessage({ id: task.id, renditions: payload, renderMs: performance.now() - t0, heap }, payload.map((p) => p.bytes.buffer as ArrayBuffer));
  }, fail);
});
