import { describe, expect, test } from "vitest";
import { renderFormError } from "../../src/domain/form-page";

const page =
  '<form><input type="email" name="email" required><input type="text" name="name" maxlength="80">' +
  '<p class="form-msg" id="waitlist-msg" role="status" aria-live="polite"></p></form>';

describe("renderFormError", () => {
  test("puts the message in the slot and keeps the typed values, escaped", () => {
    const html = renderFormError(page, {
      message: "Adresse <invalide>",
      values: { email: '"><img src=x>', name: "Zoë" },
    });
    expect(html).toContain('data-state="error">Adresse &lt;invalide&gt;</p>');
    expect(html).toContain('name="email" required value="&quot;&gt;&lt;img src=x&gt;" aria-invalid="true"');
    expect(html).toContain('name="name" maxlength="80" value="Zoë">');
    expect(html).not.toContain("<img");
  });

  test("leaves fields without a value untouched", () => {
    expect(renderFormError(page, { message: "x", values: { name: undefined } })).toContain(
      '<input type="text" name="name" maxlength="80">',
    );
  });
});
