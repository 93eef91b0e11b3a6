// Hides the server's validation error as soon as the user starts typing again, and
// puts the cursor back in the item input after an item was added (the page reloads).
const input = document.querySelector("#id_text");
const ADDING = "superlists-adding";
if (input) {
  input.addEventListener("input", () => {
    input.classList.remove("is-invalid");
    input.removeAttribute("aria-invalid");
  });
  input.form?.addEventListener("submit", () => sessionStorage.setItem(ADDING, "1"));
  if (sessionStorage.getItem(ADDING)) {
    sessionStorage.removeItem(ADDING);
    input.focus();
  }
}
