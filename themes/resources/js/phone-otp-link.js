// On the code page that waits for the text message's link: asks the server every two seconds
// whether the phone has answered, and presses "Continue" once it has (confirmed or denied), or once
// the link has expired.
// Progressive enhancement only: "Continue" works without this script, and the server decides.
(function () {
    var waiting = document.getElementById("phone-otp-link-waiting");
    var button = document.getElementById("phone-otp-link-continue");
    if (!waiting || !button || !window.fetch) {
        return;
    }
    var url = waiting.getAttribute("data-status-url");
    var pressed = false;
    function poll() {
        fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (answer) {
                if (!answer) {
                    return; // this sign-in is gone: nothing to wait for
                }
                // expired: nothing can answer the link any more; the page then says so and offers a new one
                if ((answer.status === "confirmed" || answer.status === "denied" || answer.status === "expired") && !pressed) {
                    pressed = true;
                    button.click();
                    return;
                }
                setTimeout(poll, 2000);
            })
            .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 2000);
})();
