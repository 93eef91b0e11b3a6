// The page a login link shows when opened outside the browser that asked for it: mail
// scanners and link previews stop here, since only the button's POST logs in. Logging in
// here adopts no anonymous lists: the link may be someone else's.
import { html } from "../web/html.ts";
import { csrfField, type Page } from "../web/layout.ts";

export function loginConfirmationPage({
  email,
  token,
  csrfToken,
}: {
  email: string;
  token: string;
  csrfToken: string;
}): Page {
  return {
    title: "Log in - Superlists",
    header: "Log in",
    body: html`<p class="lead text-center">Log in to Superlists as <strong class="text-break">${email}</strong>?</p>
      <form method="POST" action="/accounts/login" class="text-center">
        ${csrfField(csrfToken)}
        <input type="hidden" name="token" value="${token}">
        <button id="id_confirm_login" class="btn btn-primary btn-lg" type="submit">Log in</button>
      </form>`,
  };
}
