// The landing page's only script, inlined minified (see WaitlistForm.astro): counts the
// view, carries UTM and referrer into the form, and sends the form as JSON in place.
(() => {
  const d = document;
  const main = d.querySelector("[data-concept]");
  // The same bytes serve /c/<slug>/ (the split), /try/ (the randomised entry) and
  // /c/<slug>/v/<variant>/ (ads): the URL tells which. The embed names its source: it serves
  // the control to whoever frames it, never the split.
  const source = main.dataset.source;
  const path = location.pathname;
  const served = source ? "direct" : path.startsWith("/try") ? "try" : path.includes("/v/") ? "direct" : "split";
  const track = { concept: main.dataset.concept, variant: main.dataset.variant, served };
  const query = new URLSearchParams(location.search);
  for (const key of ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]) {
    if (query.get(key)) track[key] = query.get(key);
  }
  if (source) track.utm_source = source;
  try {
    if (new URL(d.referrer).host !== location.host) track.referrer = d.referrer;
  } catch {}
  fetch("/api/view", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(track),
    keepalive: true,
  }).catch(() => {});
  const form = d.getElementById("waitlist");
  if (!form) return;
  for (const key in track) if (form.elements[key]) form.elements[key].value = track[key];
  const msg = d.getElementById("waitlist-msg");
  const button = form.querySelector("button");
  const email = form.elements.email;
  const say = (text, state) => {
    msg.textContent = text;
    msg.dataset.state = state;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    say(form.dataset.sending, "");
    try {
      const res = await fetch(form.action, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        // fill_ms: time since the page opened, the server's time trap for bots.
        body: JSON.stringify({
          ...Object.fromEntries(new FormData(form)),
          fill_ms: String(Math.round(performance.now())),
        }),
      });
      const body = await res.json();
      if (body.ok) {
        form.classList.add("done");
        email.removeAttribute("aria-invalid");
        say(form.dataset.success, "ok");
      } else {
        const errors = body.errors || {};
        email.setAttribute("aria-invalid", errors.email ? "true" : "false");
        say(errors.email || Object.values(errors)[0] || form.dataset.failed, "error");
        (errors.email ? email : button).focus();
      }
    } catch {
      say(form.dataset.failed, "error");
    }
    button.disabled = false;
  });
})();
