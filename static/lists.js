// Hides the server's validation error as soon as the user starts typing again.
const input = document.querySelector("#id_text");
if (input) {
  input.addEventListener("input", () => input.classList.remove("is-invalid"));
}
