import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DomainError, DomainErrorKind, FieldError, HeapGauge, addSpan, setHeapGauge } from '@carepact/common';
import { BundleContext, Rendition, renderBundle } from './bundle';
import { type PdfRenderOptions, renderPdf } from './pdf';
import type { DocumentTree, Variant } from './tree';

/** What a thread is asked for: a bundle (9 renditions) or one PDF of a tree (the seal's final render). */
export type RenderRequest =
  | { kind: 'bundle'; templateId: string; templateVersion: string; input: unknown; context: BundleContext }
  | { kind: 'pdf'; tree: DocumentTree; variant: Variant; options: PdfRenderOptions };

interface Task {
  id: number;
  request: RenderRequest;
  resolve: (r: Rendition[] | Buffer) => void;
  reject: (e: Error) => void;
}

interface Reply {
  id: number;
  renditions?: { format: Rendition['format']; variant: Rendition['variant']; mediaType: string; bytes: Uint8Array }[];
  pdf?: Uint8Array;
  /** Time the thread took to render the bundle (bench:pipeline's spans). */
  renderMs?: number;
  /** The thread's V8 heap after the bundle, when spans are on (bench:bulk's memory by isolate). */
  heap?: HeapGauge;
  error?: { message: string; domain?: { kind: DomainErrorKind; code: string; messageFr: string; details: FieldError[] } };
}

/** A render asked of a closed pool (the worker is shutting down): the job is tried again later. */
export class RenderPoolClosedError extends Error {
  readonly code = 'RENDER_POOL_CLOSED';
  constructor() {
    super('render pool closed');
    this.name = 'RenderPoolClosedError';
  }
}

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Renders bundles on worker threads: rendering is CPU work, and on the main thread it would
 * delay BullMQ's lock renewal and every other job. One thread per core by default. When the code
 * runs from TypeScript sources (jest), threads cannot load it and bundles render in-process.
 */
export class RenderPool {
  private readonly workers: { worker: Worker; busy: Task | null }[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private recycled = 0;
  private closed = false;
  readonly threaded: boolean;

  constructor(readonly size = availableParallelism()) {
    const script = join(__dirname, 'render-thread.js');
    this.threaded = size > 0 && __filename.endsWith('.js') && existsSync(script);
    if (this.threaded) for (let i = 0; i < size; i++) this.spawn(script);
  }

  private spawn(script: string): void {
    // Bounded heaps: a render needs a few MB; without limits each thread's V8 grows its heap
    // freely and the worker process goes past its memory budget (issue 12: peak RSS ≤ 300 MB).
    // A thread holds some 30 MB (code, fonts, caches) and a bundle allocates some 8 MB. 64 + 12 MB
    // instead of 96 + 16: 2 threads rendering 400 bundles peaked at 229–231 MB of process RSS
    // instead of 246–252, at the same CPU per bundle (49.9–50.6 against 52.9–53.4 ms), on a quiet
    // machine; young generations of 8 MB saved as much but cost 8 % more CPU in collections.
    const slot = { worker: new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 12 } }), busy: null as Task | null };
    const threadId = slot.worker.threadId;
    slot.worker.on('message', (reply: Reply) => {
      const task = slot.busy;
      slot.busy = null;
      if (task && task.id === reply.id) {
        if (reply.renderMs !== undefined) addSpan('worker: render thread (9 renditions)', reply.renderMs);
        if (reply.heap) setHeapGauge(`render thread ${threadId}`, reply.heap);
        if (reply.renditions) task.resolve(reply.renditions.map((r) => ({ ...r, bytes: toBuffer(r.bytes) })));
        else if (reply.pdf) task.resolve(toBuffer(reply.pdf));
        else {
          const d = reply.error?.domain;
          task.reject(d ? new DomainError(d.kind, d.code, d.messageFr, d.details) : new Error(reply.error?.message ?? 'render failed'));
        }
      }
      this.pump();
    });
    slot.worker.on('error', (e) => {
      slot.busy?.reject(e);
      slot.busy = null;
    });
    slot.worker.on('exit', () => {
      setHeapGauge(`render thread ${threadId}`, null);
      const i = this.workers.indexOf(slot);
      if (i >= 0) this.workers.splice(i, 1);
      slot.busy?.reject(new Error('render thread exited'));
      if (!this.closed) {
        this.spawn(script);
        this.pump();
      }
    });
    this.workers.push(slot);
  }

  /** The 9 renditions of a template version with this input. */
  render(templateId: string, templateVersion: string, input: unknown, context: BundleContext = {}): Promise<Rendition[]> {
    if (this.closed) return Promise.reject(new RenderPoolClosedError());
    if (!this.threaded) return renderBundle(templateId, templateVersion, input, context);
    return this.submit<Rendition[]>({ kind: 'bundle', templateId, templateVersion, input, context });
  }

  /** One PDF of a resolved tree (the seal's final render, with its signature field). */
  renderPdf(tree: DocumentTree, variant: Variant, options: PdfRenderOptions = {}): Promise<Buffer> {
    if (this.closed) return Promise.reject(new RenderPoolClosedError());
    if (!this.threaded) return renderPdf(tree, variant, options);
    return this.submit<Buffer>({ kind: 'pdf', tree, variant, options });
  }

  private submit<T extends Rendition[] | Buffer>(request: RenderRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve: resolve as (r: Rendition[] | Buffer) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.workers) {
      if (slot.busy) continue;
      const task = this.queue.shift();
      if (!task) return;
      slot.busy = task;
      slot.worker.postMessage({ id: task.id, ...task.request });
    }
  }

  /**
   * The caller is done with these renditions (stored): their bytes move to a render thread, which
   * frees them at its next collection, instead of waiting here for a full collection of this thread.
   * A thread's renditions arrive as external memory of the main thread; the worker's main thread
   * allocates little, its collections are rare, and some 50 MB of stored renditions waited there
   * for them (issue 12: worker peak RSS). Their `bytes` are empty afterwards. Only the buffers the
   * threads made (one ArrayBuffer each) are moved; without threads this does nothing.
   */
  recycle(renditions: Rendition[]): void {
    if (!this.threaded || this.closed || this.workers.length === 0) return;
    const buffers = new Set<ArrayBuffer>();
    for (const r of renditions) if (r.bytes.byteOffset === 0 && r.bytes.byteLength === r.bytes.buffer.byteLength && r.bytes.byteLength > 0) buffers.add(r.bytes.buffer as ArrayBuffer);
    if (buffers.size === 0) return;
    const slot = this.workers[this.recycled++ % this.workers.length];
    slot.worker.postMessage({ kind: 'recycle' }, [...buffers]);
  }

  /** New renders are refused; those already asked for finish, then the threads end. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.queue.length > 0 || this.workers.some((w) => w.busy)) await new Promise((r) => setTimeout(r, 20));
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
