// The Stripe payment step: mounts the Payment Element and confirms the PaymentIntent.
// Stripe sends the shopper to the return page, which waits for the webhook's verdict.
(function () {
  "use strict";

  var form = document.getElementById("stripe-payment-form");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  var data = form.dataset;
  var button = document.getElementById("stripe-payment-submit");
  var message = document.getElementById("stripe-payment-message");
  var stripe = window.Stripe(data.publishableKey, { locale: data.locale || "fr" });
  var elements = stripe.elements({ clientSecret: data.clientSecret });
  var paymentElement = elements.create("payment");

  function showError(text) {
    message.textContent = text || data.errorMessage;
    message.hidden = false;
    button.disabled = false;
  }

  paymentElement.on("ready", function () {
    button.disabled = false;
  });
  paymentElement.mount("#stripe-payment-element");

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    message.hidden = true;
    stripe
      .confirmPayment({ elements: elements, confirmParams: { return_url: data.returnUrl } })
      .then(function (result) {
        // Only reached when Stripe did not redirect: the card was refused or invalid.
        if (result.error) {
          showError(result.error.message);
        }
      })
      .catch(function () {
        showError();
      });
  });
})();
