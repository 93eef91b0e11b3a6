// The page skeleton every HTML page shares: head, navbar, flash, header block.
import type { Flash, FlashUndo } from "./app-env.ts";
import { type Html, html } from "./html.ts";
import type { StaticAssets } from "./static-assets.ts";

export type PageContext = {
  user: string | null;
  csrfToken: string;
  flash: Flash | null;
  assets: StaticAssets;
  /** The page's own path: the login form sends it, to come back here after logging in. */
  path: string;
};

export type Page = {
  title: string;
  header: string | Html;
  /** Bootstrap's heading size for the header (a list's long name needs less than the home page). */
  headerSize?: "display-1" | "display-5";
  /** Below the header text, inside the header block (e.g. the item form). */
  headerExtra?: Html;
  /** The main column (e.g. the items table). */
  body?: Html;
  /** Full-width content after the main column. */
  after?: Html;
  scripts?: boolean;
};

export function csrfField(csrfToken: string): Html {
  return html`<input type="hidden" name="csrf_token" value="${csrfToken}">`;
}

function navbar({ user, csrfToken, path, flash }: PageContext): Html {
  const account = user
    ? html`<a class="nav-link text-nowrap me-2" href="/lists/users/${encodeURIComponent(user)}/">My lists</a>
        <span class="navbar-text navbar-user me-2">Logged in as ${user}</span>
        <form method="POST" action="/accounts/logout">
          ${csrfField(csrfToken)}
          <button id="id_logout" class="btn btn-outline-dark text-nowrap" type="submit">Log out</button>
        </form>`
    : html`<form method="POST" action="/accounts/send_login_email" class="navbar-login d-flex align-items-center">
        <label class="navbar-text navbar-login-label text-nowrap" for="id_email_input">Enter your email to log in</label>
        <input id="id_email_input" name="email" type="email" class="form-control" placeholder="your@email.com" autocomplete="email" value="${flash?.loginEmail ?? ""}" required>
        ${csrfField(csrfToken)}
        <input type="hidden" name="next" value="${path}">
        <button class="btn btn-outline-dark text-nowrap ms-2" type="submit">Log in</button>
      </form>`;
  return html`<nav class="navbar bg-body-tertiary border-bottom mb-4" aria-label="Site">
    <div class="container-fluid ${user ? "navbar-wraps flex-md-nowrap" : "flex-nowrap"}">
      <a class="navbar-brand" href="/">Superlists</a>
      <div class="navbar-account align-items-center">${account}</div>
    </div>
  </nav>`;
}

/** The flash's "Undo" button (after deleting items): a plain form, so it works without JavaScript. */
function undoForm(undo: FlashUndo, csrfToken: string): Html {
  return html` <form method="POST" action="${undo.action}" class="d-inline">
      ${csrfField(csrfToken)}<input type="hidden" name="undo" value="${undo.token}">
      <button type="submit" class="btn btn-sm btn-outline-dark ms-2">Undo</button>
    </form>`;
}

/** On a line of its own; the space before it keeps the two sentences apart in the text content. */
function flashDetail(detail: string): Html {
  return html` <span class="flash-detail d-block">${detail}</span>`;
}

function flashMessage(flash: Flash | null, csrfToken: string): Html | "" {
  if (!flash) return "";
  return html`<div class="row justify-content-center"><div class="col-lg-8">
    <div class="alert alert-${flash.level}" role="alert">${flash.text}${flash.detail ? flashDetail(flash.detail) : ""}${flash.undo ? undoForm(flash.undo, csrfToken) : ""}</div>
  </div></div>`;
}

/**
 * Turbo and the site's script, with how a page refreshes in place: a form posted and
 * redirected back, or a change announced by the list's event stream, morphs the page
 * and keeps its scroll; Back fetches the page anew rather than show a copy that may be
 * stale (docs/architecture.md, "Live lists").
 */
function liveScripts({ assets }: PageContext): Html {
  return html`<meta name="turbo-refresh-method" content="morph">
  <meta name="turbo-refresh-scroll" content="preserve">
  <meta name="turbo-prefetch" content="false">
  <meta name="turbo-cache-control" content="no-cache">
  <script type="module" src="${assets.url("turbo.js")}"></script>
  <script type="module" src="${assets.url("lists.js")}"></script>`;
}

export function layout(context: PageContext, page: Page): Html {
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${page.title}</title>
  <link rel="icon" href="${context.assets.url("favicon.svg")}" type="image/svg+xml">
  <link rel="stylesheet" href="${context.assets.url("bootstrap.min.css")}">
  <link rel="stylesheet" href="${context.assets.url("site.css")}">
  ${page.scripts ? liveScripts(context) : ""}
</head>
<body>
  ${navbar(context)}
  <main class="container">
    ${flashMessage(context.flash, context.csrfToken)}
    <div class="row justify-content-center py-5 px-2 bg-body-tertiary rounded-3">
      <div class="col-lg-6 text-center">
        <h1 class="${page.headerSize ?? "display-1"} page-header mb-4">${page.header}</h1>
        ${page.headerExtra ?? ""}
      </div>
    </div>
    <div class="row justify-content-center">
      <div class="col-lg-6">${page.body ?? ""}</div>
    </div>
    ${page.after ?? ""}
  </main>
</body>
</html>`;
}
