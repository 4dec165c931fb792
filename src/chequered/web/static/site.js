// The site's only script (no inline script anywhere): remembers the reader's time zone from the
// browser the first time, and keeps a countdown running.
"use strict";

(function () {
  function cookie(name) {
    const found = document.cookie.split("; ").find(c => c.startsWith(name + "="));
    return found ? decodeURIComponent(found.split("=")[1]) : null;
  }
  const params = new URLSearchParams(location.search);
  if (!cookie("tz") && !params.has("tz")) {
    let zone = null;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = null; }
    if (zone) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; max-age=31536000; path=/; samesite=lax";
      if (!sessionStorage.getItem("tz-reloaded")) {
        sessionStorage.setItem("tz-reloaded", "1");
        location.reload();
      }
    }
  }
  function tick() {
    for (const el of document.querySelectorAll(".countdown[data-start]")) {
      const left = Math.max(0, Date.parse(el.dataset.start) - Date.now());
      if (left <= 0) continue;  // the server's text stays (a fixed clock in a test store may be in the past)
      const d = Math.floor(left / 86400000), h = Math.floor(left / 3600000) % 24, m = Math.floor(left / 60000) % 60;
      const words = (el.dataset.units || "d h min").split(" ");
      el.textContent = d + " " + words[0] + " " + h + " " + words[1] + " " + m + " " + words[2];
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    // a select changes the zone at once; the form's button is the no-script way
    const tz = document.getElementById("tz");
    if (tz && tz.form) tz.addEventListener("change", () => tz.form.submit());
  });
})();
