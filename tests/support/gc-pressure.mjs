// Preloaded into the server by the GC-pressure test (node --expose-gc --import …): a full
// collection every few milliseconds, so that native objects (SQLite statements) are
// finalised while requests are in flight, as a busy server's collector would do over days.
const collect = globalThis.gc;
if (typeof collect !== "function") throw new Error("gc-pressure.mjs needs node --expose-gc");
setInterval(() => collect(), 5).unref();
