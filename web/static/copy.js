// "Copy link" next to the calendar subscription link (shown only where the clipboard works).
(function () {
  const input = document.getElementById("calendar-url");
  const button = document.getElementById("copy-calendar-url");
  if (!input || !button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(input.value);
    button.textContent = "Copied";
  });
})();
