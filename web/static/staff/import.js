// Bulk import: upload and apply through the API in the background, then follow the job until it ends.
(function () {
  "use strict";
  var RUNNING = ["checking", "applying"];
  var csrfField = document.querySelector("input[name=csrf_token]");
  var csrf = csrfField ? csrfField.value : "";

  function showError(text) {
    var box = document.querySelector(".upload-error");
    box.textContent = text;
    box.hidden = false;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Prefer": "respond-async" }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.status !== 202) { throw new Error(data.detail || ("HTTP " + r.status)); }
        return data;
      });
    });
  }

  function show(job, lang) { window.location.href = "/staff/imports/" + job.id + "?lang=" + lang; }

  var upload = document.querySelector("form.upload");
  if (upload && window.fetch && window.FormData) {
    upload.addEventListener("submit", function (event) {
      var lang = upload.dataset.lang;
      event.preventDefault();
      var file = upload.querySelector("input[type=file]").files[0];
      if (file && file.size > Number(upload.dataset.maxBytes)) {
        var mb = Math.floor(upload.dataset.maxBytes / 1048576);
        showError(lang === "en" ? "The file is larger than " + mb + " MB: split it into smaller files"
          : "文件超过 " + mb + " MB：请拆分成较小的文件后再导入");
        return;
      }
      upload.querySelector("button").disabled = true;
      post("/api/v1/imports?lang=" + lang, new FormData(upload))
        .then(function (job) { show(job, lang); })
        .catch(function (error) { showError(error.message); upload.querySelector("button").disabled = false; });
    });
  }

  var recheck = document.querySelector("form.recheck");
  if (recheck && window.fetch && window.FormData) {
    recheck.addEventListener("submit", function (event) {
      var lang = recheck.dataset.lang;
      event.preventDefault();
      recheck.querySelector("button").disabled = true;
      post("/api/v1/imports/" + recheck.dataset.job + "/recheck?lang=" + lang, new FormData(recheck))
        .then(function (job) { show(job, lang); })
        .catch(function (error) { showError(error.message); recheck.querySelector("button").disabled = false; });
    });
  }

  var apply = document.querySelector("form.apply");
  if (apply && window.fetch) {
    apply.addEventListener("submit", function (event) {
      var mode = event.submitter ? event.submitter.value : "all", lang = apply.dataset.lang;
      event.preventDefault();
      apply.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      post("/api/v1/imports/" + apply.dataset.job + "/apply?mode=" + mode + "&lang=" + lang)
        .then(function (job) { show(job, lang); })
        .catch(function (error) { showError(error.message); });
    });
  }

  var running = document.querySelector("section.running");
  if (running && window.fetch) {
    var bar = running.querySelector("progress");
    var stage = running.querySelector(".stage");
    var labels = { reading: "读取并检查", matching: "与已登记站点比对", writing: "写入" };
    setInterval(function () {
      fetch("/api/v1/imports/" + running.dataset.job, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          if (RUNNING.indexOf(job.status) < 0) { window.location.reload(); return; }
          var p = job.progress;
          if (!p) { return; }
          if (p.percent !== null) { bar.value = p.percent; }
          stage.textContent = (labels[p.stage] || p.stage) + " " + p.done + (p.total ? " / " + p.total : "");
        });
    }, 1000);
  }
})();
