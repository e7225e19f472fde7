// Behaviour the templates used to write inline (the Content Security Policy allows scripts from this
// server's files only): a <select data-autosubmit> submits its form when changed.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
