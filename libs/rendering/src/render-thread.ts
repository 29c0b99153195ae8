/** Worker-thread entry of RenderPool: renders bundles and sends the bytes back without copying. */
import { parentPort } from 'node:worker_threads';
import { isDomainError } from '@carepact/common';
import { type BundleContext, renderBundle } from './bundle';

parentPort?.on('message', (task: { id: number; templateId: string; templateVersion: string; input: unknown; context?: BundleContext }) => {
  renderBundle(task.templateId, task.templateVersion, task.input, task.context).then(
    (renditions) => {
      const payload = renditions.map((r) => ({ format: r.format, variant: r.variant, mediaType: r.mediaType, bytes: new Uint8Array(r.bytes) }));
      parentPort!.postMessage({ id: task.id, renditions: payload }, payload.map((p) => p.bytes.buffer as ArrayBuffer));
    },
    (e: unknown) => {
      const domain = isDomainError(e) ? { kind: e.kind, code: e.code, messageFr: e.messageFr, details: e.details } : undefined;
      parentPort!.postMessage({ id: task.id, error: { message: (e as Error).message, domain } });
    },
  );
});
