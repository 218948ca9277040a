/**
 * The part of the WebAssembly JavaScript API the trace merge uses. Node has
 * it as a global; @types/node 20 does not declare it (its declarations come
 * with the DOM library, which this project does not load).
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
  }
}
