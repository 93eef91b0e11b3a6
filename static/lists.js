// With Turbo (loaded before this module), a form post or a change made elsewhere
// updates the page in place. This keeps the user where they were: focus on the control
// they used (after Delete, the next row's; after adding, the item input), on the
// invalid field after an error (with its message in view), and what they are typing
// while another device's change arrives. A server-side error hides once they type again.
const { config } = window.Turbo;
// A disabled button loses focus; one that is only marked busy keeps it.
config.forms.submitter = "aria-disabled";

/** What to focus once the page shows the answer to this submission (a CSS selector). */
function focusAfter(form, submitter) {
  if (form.classList.contains("item-form")) return "#id_text";
  const action = submitter?.getAttribute("formaction");
  if (!action) return submitter?.id ? `#${submitter.id}` : undefined;
  if (!action.endsWith("/delete")) return `[formaction="${action}"]`;
  const row = submitter.closest("tr");
  const neighbour = (row?.nextElementSibling ?? row?.previousElementSibling)?.querySelector('[formaction$="/delete"]');
  return neighbour ? `[formaction="${neighbour.getAttribute("formaction")}"]` : "#id_text";
}

let submission; // { focus, failed } while the user's own form post is being answered

document.addEventListener("turbo:submit-start", ({ detail }) => {
  const { formElement, submitter } = detail.formSubmission;
  submission = { focus: focusAfter(formElement, submitter), failed: false };
});
document.addEventListener("turbo:submit-end", ({ detail }) => {
  if (submission && !detail.success) submission.failed = true;
});

function restoreFocus() {
  if (!submission) return;
  const invalid = submission.failed ? document.querySelector('[aria-invalid="true"]') : null;
  const target = invalid ?? (submission.focus ? document.querySelector(submission.focus) : null);
  submission = undefined;
  if (!target) return;
  // The user already went on typing elsewhere (the login field, say): theirs to keep.
  const active = document.activeElement;
  if (active !== target && active?.matches("input, textarea, select")) return;
  target.focus();
  // The message under the field in view too, not only the field.
  const message = invalid && document.getElementById(invalid.getAttribute("aria-describedby") ?? "");
  message?.scrollIntoView({ block: "nearest" });
}
// A failed post renders the answer (turbo:render); a successful one visits the page it redirects to (turbo:load).
document.addEventListener("turbo:render", () => {
  if (submission?.failed) restoreFocus();
});
document.addEventListener("turbo:load", restoreFocus);

// A refresh that is not the answer to this page's own post keeps what the user typed.
document.addEventListener("turbo:before-morph-attribute", (event) => {
  const field = event.target;
  if (submission || event.detail.attributeName !== "value" || !(field instanceof HTMLInputElement)) return;
  if (field.value !== field.defaultValue) event.preventDefault();
});

document.addEventListener("input", ({ target }) => {
  if (target instanceof HTMLInputElement && target.classList.contains("is-invalid")) {
    target.classList.remove("is-invalid");
    target.removeAttribute("aria-invalid");
  }
});
