// The embed page's own script (src/pages/embed/[slug].astro), inlined minified: tells the
// page that frames it how tall the form is, so that the snippet sizes the frame to it. The
// message goes only to the framing page's origin (from document.referrer); a host page
// that sends no referrer gets no message, and its frame keeps the snippet's height.
(() => {
  if (parent === window) return;
  let origin;
  try {
    origin = new URL(document.referrer).origin;
  } catch {
    return;
  }
  const body = document.body;
  new ResizeObserver(() => parent.postMessage(body.getBoundingClientRect().height, origin)).observe(body);
})();
