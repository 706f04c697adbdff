// The landing page's only script, inlined minified (see WaitlistForm.astro): counts the
// view, carries UTM and referrer into the form, sends the forms as JSON in place (the
// waitlist, then the thank-you step's), and keeps a fake-door tier click in the form.
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
  const beacon = (url, body) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      keepalive: true,
    }).catch(() => {});
  beacon("/api/view", track);
  const form = d.getElementById("waitlist");
  if (!form) return;
  for (const key in track) if (form.elements[key]) form.elements[key].value = track[key];
  const email = form.elements.email;
  const steps = d.getElementById("steps");
  // A tier click is counted like a view; the form then keeps the tier and says what it means.
  for (const tier of d.querySelectorAll("[data-tier]")) {
    tier.addEventListener("submit", (event) => {
      event.preventDefault();
      const id = tier.dataset.tier;
      beacon("/api/tier", { ...track, tier: id });
      form.elements.tier.value = id;
      for (const line of form.querySelectorAll("[data-tier-line]")) line.hidden = line.dataset.tierLine !== id;
      email.focus();
    });
  }
  // Each form answers in place: its message in its status line; `data-again` forms stay open.
  const inPlace = (sent, done) => {
    const msg = sent.querySelector(".form-msg");
    const button = sent.querySelector("button");
    const say = (text, state) => {
      msg.textContent = text;
      msg.dataset.state = state;
    };
    sent.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      say(sent.dataset.sending, "");
      try {
        const res = await fetch(sent.action, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          // fill_ms: time since the page opened, the server's time trap for bots.
          body: JSON.stringify({
            ...Object.fromEntries(new FormData(sent)),
            fill_ms: String(Math.round(performance.now())),
          }),
        });
        const body = await res.json();
        const errors = body.errors || {};
        if (sent === form) email.setAttribute("aria-invalid", errors.email ? "true" : "false");
        if (body.ok) {
          if (!("again" in sent.dataset)) sent.classList.add("done");
          say(body.message || sent.dataset.success, "ok");
          done?.(body);
        } else {
          say(Object.values(errors)[0] || sent.dataset.failed, "error");
          (sent === form && errors.email ? email : button).focus();
        }
      } catch {
        say(sent.dataset.failed, "error");
      }
      button.disabled = false;
    });
  };
  inPlace(form, (body) => {
    if (!steps || !body.step) return;
    for (const field of d.getElementsByName("step")) field.value = body.step;
    steps.hidden = false;
    steps.focus();
  });
  for (const step of d.querySelectorAll(".step")) inPlace(step);
})();
