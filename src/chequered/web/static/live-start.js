// Starts the live board for the session named on this script's tag: no inline script on the page,
// so the page's Content Security Policy can refuse every inline script.
startLiveBoard(document.currentScript.dataset.session);
