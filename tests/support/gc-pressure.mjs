// Preloaded into the server by the GC-pressure test (node --expose-gc --import …): a full
// collection 10 ms after the previous one ended, so that native objects (SQLite statements)
// are finalised while requests are in flight, as a busy server's collector does over days,
// and the server still gets time to work however slow a collection is on a busy machine.
const collect = globalThis.gc;
if (typeof collect !== "function") throw new Error("gc-pressure.mjs needs node --expose-gc");
const collectSoon = () =>
  setTimeout(() => {
    collect();
    collectSoon();
  }, 10).unref();
collectSoon();
