// Asks before a form marked data-confirm is sent (removing a shift, revoking a link).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
