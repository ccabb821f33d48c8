/* Survey answering page: show a conditional question only when it applies (the F block after a
   "yes" in the E block, C2 after "yes" to C1). Without JavaScript every question is shown with a
   hint saying when to answer it, and the server drops answers to questions that did not apply. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-survey]");
  if (!form) { return; }
  var status = document.getElementById("survey-status");

  function chosen(code) {
    var question = form.querySelector('.question[data-item="' + code + '"]');
    if (!question || question.hidden) { return []; }
    return Array.prototype.map.call(question.querySelectorAll("input:checked"), function (input) {
      return input.value;
    });
  }

  function update(announce) {
    var shown = 0;
    form.querySelectorAll(".question[data-condition-items]").forEach(function (question) {
      var items = question.getAttribute("data-condition-items").split(" ");
      var wanted = question.getAttribute("data-condition-options").split(" ");
      var show = items.some(function (code) {
        return chosen(code).some(function (value) { return wanted.indexOf(value) !== -1; });
      });
      if (show && question.hidden) { shown += 1; }
      question.hidden = !show;
    });
    form.querySelectorAll("section[data-block]").forEach(function (part) {
      part.hidden = !part.querySelector(".question:not([hidden])");
    });
    if (announce && shown && status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = status.getAttribute("data-more"); }, 50);
    }
  }

  form.addEventListener("change", function () { update(true); });
  update(false);
})();
