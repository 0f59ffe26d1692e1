// Counts the resend wait down on the code page and keeps the send buttons disabled until it is over.
// Progressive enhancement only: the server enforces the wait whatever the page allows.
(function () {
    var wait = document.getElementById("phone-otp-resend-wait");
    if (!wait) {
        return;
    }
    var seconds = parseInt(wait.getAttribute("data-seconds"), 10);
    var template = wait.getAttribute("data-template");
    var buttons = ["phone-otp-resend", "phone-otp-switch-channel"]
        .map(function (id) { return document.getElementById(id); })
        .filter(function (button) { return button && !button.disabled; });
    if (!(seconds > 0) || !template) {
        return;
    }
    buttons.forEach(function (button) { button.disabled = true; });
    var timer = setInterval(function () {
        seconds -= 1;
        if (seconds > 0) {
            wait.textContent = template.replace("{0}", seconds);
            return;
        }
        clearInterval(timer);
        wait.hidden = true;
        buttons.forEach(function (button) { button.disabled = false; });
    }, 1000);
})();
