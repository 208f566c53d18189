// While an import is being applied, show its progress by polling /api/v1/imports/{id}.
(function () {
  "use strict";
  var form = document.querySelector("form.apply");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var id = form.action.match(/imports\/(\d+)\/apply/)[1];
    var bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    var text = document.createElement("span");
    text.textContent = " 正在导入…";
    form.after(bar, text);
    setInterval(function () {
      fetch("/api/v1/imports/" + id, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (job) { if (job.progress) { bar.value = job.progress.percent; text.textContent = " " + job.progress.done + " / " + job.progress.total; } });
    }, 1000);
  });
})();
